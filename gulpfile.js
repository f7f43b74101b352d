// Copies what tsc does not emit next to the compiled files, where n8n loads them: the node
// and credential icons, and the bundled fflate (see scripts/bundle-fflate.mjs).
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

const copy = (from, to) => () =>
	src(path.resolve(from), { encoding: false, allowEmpty: true }).pipe(dest(path.resolve(to)));

task(
	'build:icons',
	parallel(
		copy('nodes/**/*.{png,svg}', 'dist/nodes'),
		copy('credentials/**/*.{png,svg}', 'dist/credentials'),
	),
);
task('build:vendor', copy('nodes/Mimecast/vendor/*.js', 'dist/nodes/Mimecast/vendor'));
task('build:assets', parallel('build:icons', 'build:vendor'));
