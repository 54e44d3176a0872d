/**
 * Typed error codes shared by server, kiosk core and renderer.
 *
 * Every expected failure crosses a boundary as one of these codes; people see them as
 * words in their language (src-renderer/i18n), tests assert on the code, never on text.
 * HTTP error bodies are `{ statusCode, code, message }` (see ErrorBody in wire/common.ts).
 */

export const ERROR_CODES = {
  // request shape
  BAD_REQUEST: 400,
  /** A list filter whose start date is after its end date. */
  DATE_RANGE_INVALID: 400,
  /** The lending rules were saved by someone else since this edit began (If-Match). */
  POLICIES_CHANGED: 409,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  // authentication and authorization
  UNAUTHENTICATED: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  KIOSK_ASSERTION_INVALID: 401,
  KIOSK_REVOKED: 401,
  /** A token or session that was valid but has been revoked (logout, password change, reuse). */
  TOKEN_REVOKED: 401,
  FORBIDDEN: 403,
  /** A cookie-authenticated write without the matching CSRF token or from another origin. */
  CSRF_FAILED: 403,
  INVALID_CREDENTIALS: 401,
  /** Password sign-in is turned off for this account: it signs in through single sign-on. */
  PASSWORD_LOGIN_DISABLED: 403,
  // single sign-on (OpenID Connect); shown on the dashboard's sign-in page
  SSO_NOT_CONFIGURED: 404,
  /** The person cancelled at the provider (error=access_denied). */
  SSO_CANCELLED: 401,
  /** The provider answered with an error of its own. */
  SSO_PROVIDER_ERROR: 502,
  SSO_PROVIDER_UNREACHABLE: 503,
  /** The callback's state is missing or was not started in this browser. */
  SSO_STATE_INVALID: 400,
  SSO_STATE_EXPIRED: 400,
  SSO_STATE_REUSED: 400,
  /** The provider refused the authorization code (used before, expired, or not ours). */
  SSO_CODE_REJECTED: 401,
  SSO_ISSUER_MISMATCH: 401,
  SSO_AUDIENCE_MISMATCH: 401,
  SSO_NONCE_MISMATCH: 401,
  /** An ID token that does not verify (signature, algorithm, expiry). */
  SSO_TOKEN_INVALID: 401,
  /** The claim that names the person (email, username) is absent or its email unverified. */
  SSO_CLAIM_MISSING: 403,
  /** No person here matches and first sign-in does not create one. */
  SSO_USER_NOT_FOUND: 403,
  SSO_NO_MAPPED_GROUP: 403,
  /** The matching person is already linked to another account at this provider. */
  SSO_IDENTITY_CONFLICT: 409,
  SSO_ACCOUNT_INACTIVE: 403,
  RATE_LIMITED: 429,
  /** Creating something whose unique key (email, tag, badge) is taken. */
  ALREADY_EXISTS: 409,
  /** A change that would leave nobody active to administer the system (a directory's, a role mapping's). */
  LAST_ADMIN: 409,
  // editing a person (dashboard): each names the field and the rule it broke
  /** A name that is empty (or only spaces), longer than 200 characters, or holds control or invisible characters. */
  PERSON_NAME_INVALID: 400,
  /** Not an email address (one @, something on both sides, no spaces, at most 254 characters). */
  EMAIL_INVALID: 400,
  /** Another person already has this email address. */
  EMAIL_TAKEN: 409,
  /** An employee number longer than 50 characters. */
  EMPLOYEE_NUMBER_INVALID: 400,
  /** A department name longer than 100 characters. */
  DEPARTMENT_INVALID: 400,
  /** A badge's label longer than 100 characters. */
  BADGE_LABEL_INVALID: 400,
  /** The field belongs to the organisation's directory (SCIM): it is changed there, not here. */
  DIRECTORY_MANAGED: 409,
  /** An admin lowering their own role or deactivating themself (someone else must do it). */
  OWN_ACCESS: 409,
  // an item's photo (dashboard)
  /** Not a JPEG, PNG or WebP image by its bytes, or one that cannot be decoded. */
  PHOTO_UNSUPPORTED: 415,
  /** Over 10 MB, or over 50 megapixels. */
  PHOTO_TOO_LARGE: 413,
  // enrollment
  ENROLLMENT_CODE_INVALID: 401,
  // badge tap
  BADGE_DENIED: 403,
  // badge enrolment from the kiosk's service mode
  BADGE_ALREADY_ENROLLED: 409,
  // transactions
  ITEM_UNKNOWN: 404,
  ITEM_UNAVAILABLE: 409,
  ITEM_NOT_ON_LOAN: 409,
  ITEM_NOT_ALLOWED: 403,
  /** The item came back damaged or incomplete (or is in repair, or lost): not lent until staff check it. */
  ITEM_NEEDS_CHECK: 409,
  LOAN_LIMIT_REACHED: 409,
  /** Lending policies (protocol/policies.ts): the category's limit for one person is reached. */
  CATEGORY_LIMIT_REACHED: 409,
  /** The person's role may not borrow this category at all. */
  CATEGORY_NOT_ALLOWED: 403,
  /** The person holds an overdue item, and overdue items block new borrowing. */
  OVERDUE_BLOCK: 403,
  /** An admin suspended the person's borrowing until a date. */
  PERSON_SUSPENDED: 403,
  /** Renewals (protocol/renewals.ts): this loan has been renewed as often as the rule allows. */
  RENEWAL_LIMIT_REACHED: 409,
  /** An overdue loan is not renewed: it is due back now. */
  RENEWAL_OVERDUE: 409,
  /** Renewing would run into someone else's reservation of the item (or the last of its category). */
  RENEWAL_RESERVED: 409,
  // reservations (protocol/reservations.ts)
  /** A window that ends before (or when) it starts, or whose times cannot be read. */
  RESERVATION_WINDOW_INVALID: 400,
  /** A window that starts in the past. */
  RESERVATION_IN_PAST: 400,
  /** A window longer than the room allows. */
  RESERVATION_TOO_LONG: 400,
  /** A window that starts further ahead than the room allows. */
  RESERVATION_TOO_FAR: 400,
  /** The item (or every lendable one of the category) is reserved or on loan over part of the window. */
  RESERVATION_CONFLICT: 409,
  /** Cancelling a reservation that was picked up, cancelled or expired already. */
  RESERVATION_NOT_ACTIVE: 409,
  /** A kiosk borrow of an item held for someone else's reservation (a conflict at sync). */
  ITEM_RESERVED: 409,
  // lending policies an admin saves
  POLICY_INVALID: 400,
  /** A negative limit or loan period, or one past any sensible size. */
  POLICY_LIMIT_INVALID: 400,
  /** Opening hours that close before (or when) they open. */
  POLICY_HOURS_INVALID: 400,
  POLICY_TIME_ZONE_INVALID: 400,
  /** Policies under which nobody could borrow anything. */
  POLICY_NOTHING_LENDABLE: 400,
  // reports and reminders on the dashboard
  /** A report period whose dates cannot be read, end before they start, or start in the future. */
  REPORT_PERIOD_INVALID: 400,
  /** A report period longer than REPORT_MAX_DAYS. */
  REPORT_PERIOD_TOO_LONG: 400,
  /** A reminder send with no channel (email, webhook) configured. */
  REMINDERS_NOT_CONFIGURED: 409,
  RETURNED_BY_OTHER: 409,
  USER_UNKNOWN: 404,
  USER_INACTIVE: 403,
  /**
   * An offline row whose badge proof is missing, does not verify, or was already used: it was
   * not shown to be made with the person's badge at this kiosk.
   */
  OFFLINE_PROOF_INVALID: 409,
  /** An offline row whose time cannot be placed between its roster's issue (and the kiosk's enrolment) and the sync. */
  OFFLINE_TIME_UNBOUNDED: 409,
  /**
   * A row made with a genuine rental token whose time falls outside that token's life (the
   * kiosk's clock jumped): applied at a time inside it, flagged for a person.
   */
  TIME_DOUBTFUL: 409,
  /** A transaction id another kiosk already used: ids are this kiosk's own. */
  TX_ID_CLASH: 409,
  /** The server's database is away for a moment: nothing was changed; try again shortly. */
  SERVICE_UNAVAILABLE: 503,
  // kiosk-side, never sent by the server
  SERVER_UNREACHABLE: 503,
  OUTBOX_WRITE_FAILED: 507,
  SESSION_REQUIRED: 409,
  // last resort: a bug, logged loudly, shown as a generic apology
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ALL_ERROR_CODES = Object.keys(ERROR_CODES) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** An expected, coded failure. Throw it across layers; map it to words or HTTP at the edge. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, message: string = code, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = ERROR_CODES[code];
  }
}

/** A broken invariant: a bug, not an outcome. Logged loudly, never shown verbatim to a person. */
export class BugError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BugError';
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
