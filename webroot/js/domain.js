// Values the API defines (docs/api.md), in one place.

export const SECTORS = ['politics_administration', 'business', 'science', 'association', 'foundation'];

export const SPACE_ROLES = ['member', 'coordinator'];

export const INVITATION_STATUSES = ['pending', 'used', 'expired', 'revoked'];

// Maximum lengths per API field name; used for maxlength and for "too long" messages.
export const LIMITS = {
  email: 254,
  displayName: 100,
  name: 200,
  city: 100,
  website: 300,
  position: 200,
  bio: 2000,
  description: 4000,
  spaceName: 120,
  q: 200,
  password: 128,
  newPassword: 128,
};

export const PASSWORD_MIN = 8;

// Rooms and sessions (docs/protocol.md, docs/api.md).
export const REACTIONS = ['\u{1F44D}', '\u2764\uFE0F', '\u{1F600}', '\u{1F389}', '\u{1F914}', '\u{1F44F}'];
export const MESSAGE_MAX = 4000;
export const MENTIONS_MAX = 50;
export const GUEST_POLICIES = ['members', 'link', 'approval'];
export const ROOM_NAME_MAX = 120;
export const SESSION_TITLE_MAX = 200;
export const AGENDA_ITEMS_MAX = 50;
export const AGENDA_ITEM_MAX = 300;
export const GUEST_NAME_MAX = 60;

export const PAGE_SIZE = 20;

/** Whether the user may create and edit organisations: admins and any coordinator. */
export function canEditOrganisations(user) {
  return Boolean(user && (user.admin || (user.spaces ?? []).some((s) => s.role === 'coordinator')));
}

// Project profiles (docs/protocol.md, "Profiles (co-editing)").
export const PROFILE_FIELDS = ['title', 'summary', 'challenge', 'goals', 'measures', 'partners', 'location',
  'timeline', 'funding', 'contacts'];
export const PROFILE_STATUSES = ['draft', 'review', 'final'];
export const PROFILE_TAGS_MAX = 20;
export const PROFILE_TAG_MAX = 40;
export const PROFILE_TITLE_MAX = 200;
export const PROFILE_FIELD_MAX = 100000;
export const PROFILE_INSERT_MAX = 10000;
export const PROFILE_DELTA_OPS_MAX = 1000;
export const PROFILE_LINK_MAX = 2000;
