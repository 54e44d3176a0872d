/**
 * What a provisioning client reads before it starts (RFC 7643 5-7, RFC 7644 4): the service
 * provider's configuration, the resource types and their schemas, including this server's
 * own extension for badges (`urn:ietf:params:scim:schemas:extension:rental:2.0:User`).
 * Entra ID and Okta probe these; they describe what the routes really do, no more.
 */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const RENTAL_SCHEMA = 'urn:ietf:params:scim:schemas:extension:rental:2.0:User';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RT_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** Most results one page of a list answers with (a larger `count` is lowered to it). */
export const MAX_RESULTS = 200;
/** Largest request body, for a group's member list in one PATCH. */
export const MAX_BODY_BYTES = 512 * 1024;

type Attr = Record<string, unknown>;
const attr = (name: string, more: Attr = {}): Attr => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...more,
});

const USER_ATTRIBUTES = [
  attr('userName', { required: true, uniqueness: 'server', description: 'Unique; compared ignoring case.' }),
  attr('displayName'),
  attr('name', {
    type: 'complex',
    description: 'Stored as one display name: returned as name.formatted.',
    subAttributes: [attr('formatted'), attr('givenName'), attr('familyName')],
  }),
  attr('active', { type: 'boolean' }),
  attr('emails', {
    type: 'complex',
    multiValued: true,
    description: 'One address is kept: the primary one (else type work, else the first).',
    subAttributes: [attr('value'), attr('type'), attr('primary', { type: 'boolean' })],
  }),
  attr('groups', {
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [attr('value', { mutability: 'readOnly' }), attr('display', { mutability: 'readOnly' })],
  }),
];

const ENTERPRISE_ATTRIBUTES = [attr('employeeNumber'), attr('department')];

const RENTAL_ATTRIBUTES = [
  attr('badges', {
    type: 'complex',
    multiValued: true,
    description:
      'Badge credentials, normalised as the kiosk reads them (nfc:<uid hex>, wiegand<bits>:<facility>:<card>, kbd:<digits>); stored only as keyed hashes.',
    subAttributes: [
      attr('value', { mutability: 'writeOnly', returned: 'never', caseExact: true, uniqueness: 'global' }),
      attr('label'),
      attr('hint', {
        mutability: 'readOnly',
        description: 'Kind and last characters, as the dashboard shows.',
      }),
    ],
  }),
  attr('role', {
    mutability: 'readOnly',
    description: 'admin, staff or member: the highest role mapped to the person’s groups.',
  }),
];

const GROUP_ATTRIBUTES = [
  attr('displayName', { required: true, uniqueness: 'server' }),
  attr('members', {
    type: 'complex',
    multiValued: true,
    subAttributes: [attr('value', { mutability: 'immutable' }), attr('display', { mutability: 'readOnly' })],
  }),
];

const schema = (id: string, name: string, description: string, attributes: Attr[], base: string) => ({
  schemas: [SCHEMA_SCHEMA],
  id,
  name,
  description,
  attributes,
  meta: { resourceType: 'Schema', location: `${base}/Schemas/${id}` },
});

export const schemasOf = (base: string) => [
  schema(USER_SCHEMA, 'User', 'A person who borrows equipment', USER_ATTRIBUTES, base),
  schema(
    ENTERPRISE_SCHEMA,
    'EnterpriseUser',
    'Enterprise user (employee number, department)',
    ENTERPRISE_ATTRIBUTES,
    base,
  ),
  schema(RENTAL_SCHEMA, 'RentalUser', 'Badges and the role in the equipment room', RENTAL_ATTRIBUTES, base),
  schema(GROUP_SCHEMA, 'Group', 'A group; an admin may map it to a role', GROUP_ATTRIBUTES, base),
];

export const resourceTypesOf = (base: string) => [
  {
    schemas: [RT_SCHEMA],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    schema: USER_SCHEMA,
    schemaExtensions: [
      { schema: ENTERPRISE_SCHEMA, required: false },
      { schema: RENTAL_SCHEMA, required: false },
    ],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  },
  {
    schemas: [RT_SCHEMA],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    schema: GROUP_SCHEMA,
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
  },
];

export const serviceProviderConfigOf = (base: string) => ({
  schemas: [SPC_SCHEMA],
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_RESULTS },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: true },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'Bearer token',
      description: 'A provisioning token an admin makes on the dashboard (System page).',
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
});
