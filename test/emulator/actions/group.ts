/**
 * Directory groups (mimecast-api-more.md §13): find groups, add and remove members. A member is
 * an email address or a domain; adding one twice answers `err_folder_group_member_already_exists`,
 * removing an absent one `err_folder_email_address_not_found` (R7 fixtures).
 */
import { CODES, type Reply } from '../envelope';
import { Rng } from '../prng';
import { INTERNAL_DOMAIN, internalUser } from '../data/vocab';
import { firstItem, requiredString } from './body';
import { fieldFail, isReply, pageOfList, ok, type Obj } from './common';
import type { ActionEndpoints } from './endpoints';

export interface GroupMember {
	id: string;
	emailAddress?: string;
	domain?: string;
	internal: boolean;
	notes?: string;
}

export interface Group {
	id: string;
	/** The group's name: Mimecast calls it `description`. */
	description: string;
	source: 'cloud' | 'ldap';
	parentId: string;
	members: GroupMember[];
}

const SEEDED: ReadonlyArray<readonly [string, Group['source'], number]> = [
	['Blocked Senders', 'cloud', 3],
	['Permitted Senders', 'cloud', 2],
	['Executives', 'cloud', 4],
	['Finance', 'ldap', 6],
	['VIP Protection', 'cloud', 3],
	['All Staff', 'ldap', 12],
];

const ROOT = 'eNoVzrsOgjAYQOF3YdWBlotgwlAQkXITKEY2QoqpcpG2hhjj-4nTmb6c8y0.0Rf9rSvW6';

export class Groups {
	readonly groups: Group[] = [];
	private nextId = 1;

	constructor(seed: number) {
		const rng = Rng.derive(seed, 'groups');
		for (const [description, source, size] of SEEDED) {
			const group: Group = {
				id: this.id('group'),
				description,
				source,
				parentId: ROOT,
				members: [],
			};
			const blocklist = description === 'Blocked Senders';
			while (group.members.length < size) {
				const emailAddress = blocklist
					? `${rng.pick(['billing', 'hr-update', 'it-helpdesk'])}${rng.int(1, 99)}@n0rthwind.test`
					: internalUser(rng);
				if (!group.members.some((m) => m.emailAddress === emailAddress))
					group.members.push(this.member(emailAddress, undefined));
			}
			this.groups.push(group);
		}
	}

	endpoints(): ActionEndpoints {
		return {
			'/api/directory/find-groups': {
				permission: 'Directories | Groups | Read',
				write: false,
				handle: (json) => this.find(json),
			},
			'/api/directory/add-group-member': {
				permission: 'Directories | Groups | Edit',
				write: true,
				handle: (json) => this.change(json, 'add'),
			},
			'/api/directory/remove-group-member': {
				permission: 'Directories | Groups | Edit',
				write: true,
				handle: (json) => this.change(json, 'remove'),
			},
		};
	}

	/** The record find-groups returns for a group (`folders[]`). */
	static folder(group: Group): Obj {
		const { id, description, source, parentId } = group;
		return { id, description, source, parentId, userCount: group.members.length, folderCount: 0 };
	}

	private id(kind: string): string {
		return `eNoVzrsOgj${Buffer.from(`${kind}:${this.nextId++}`).toString('base64url')}`;
	}

	private member(
		emailAddress: string | undefined,
		domain: string | undefined,
		notes?: string,
	): GroupMember {
		const internal =
			(domain ?? emailAddress?.slice(emailAddress.indexOf('@') + 1))?.toLowerCase() ===
			INTERNAL_DOMAIN;
		return {
			id: this.id('member'),
			...(emailAddress ? { emailAddress } : { domain }),
			internal,
			...(notes ? { notes } : {}),
		};
	}

	private find(json: unknown): Reply {
		const item = firstItem(json);
		if (isReply(item)) return item;
		const query = typeof item.query === 'string' ? item.query : '';
		const source = item.source;
		if (source !== undefined && source !== 'cloud' && source !== 'ldap')
			return fieldFail(CODES.invalidValue, 'source must be cloud or ldap', item, 'source');
		const found = this.groups.filter(
			(g) =>
				(!source || g.source === source) &&
				g.description.toLowerCase().includes(query.toLowerCase()),
		);
		const page = pageOfList(json, found);
		if (isReply(page)) return page;
		const echo: Obj = { ...(source ? { source } : {}), ...(query ? { query } : {}) };
		return ok([{ ...echo, folders: page.page.map(Groups.folder) }], page.meta);
	}

	private change(json: unknown, how: 'add' | 'remove'): Reply {
		const item = firstItem(json);
		if (isReply(item)) return item;
		const id = requiredString(item, 'id');
		if (isReply(id)) return id;
		const email =
			typeof item.emailAddress === 'string' && item.emailAddress !== ''
				? item.emailAddress
				: undefined;
		const domain = typeof item.domain === 'string' && item.domain !== '' ? item.domain : undefined;
		if (!email === !domain)
			return fieldFail(
				CODES.invalidValue,
				'Send exactly one of emailAddress or domain',
				item,
				email ? 'domain' : 'emailAddress',
			);
		if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
			return fieldFail(
				'err_validation_invalid_email_address',
				'Email address is not valid',
				item,
				'emailAddress',
			);
		const group = this.groups.find((g) => g.id === id);
		if (!group) return fieldFail('err_folder_not_found', 'Group not found', item, 'id');
		const same = (m: GroupMember) =>
			email
				? m.emailAddress?.toLowerCase() === email.toLowerCase()
				: m.domain?.toLowerCase() === domain?.toLowerCase();
		const index = group.members.findIndex(same);
		if (how === 'add') {
			if (index >= 0)
				return fieldFail(
					'err_folder_group_member_already_exists',
					'Group member already exists',
					item,
				);
			const member = this.member(
				email,
				domain,
				typeof item.notes === 'string' ? item.notes : undefined,
			);
			group.members.push(member);
			return ok([memberRecord(group, member)]);
		}
		if (index < 0)
			return fieldFail('err_folder_email_address_not_found', 'Email address not found', item);
		const [removed] = group.members.splice(index, 1);
		return ok([memberRecord(group, removed)]);
	}
}

function memberRecord(group: Group, member: GroupMember): Obj {
	return {
		id: member.id,
		folderId: group.id,
		...(member.emailAddress ? { emailAddress: member.emailAddress } : { domain: member.domain }),
		internal: member.internal,
	};
}
