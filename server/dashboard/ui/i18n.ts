/**
 * Every word the dashboard shows, Korean and English side by side (one entry holds both, so
 * neither can be forgotten; test/dashboard/i18n.test.ts checks both are there for every key
 * and every error code). Error codes from the server become words here, never raw codes.
 */
import { ALL_ERROR_CODES, type ErrorCode } from '../../../protocol/errors.ts';

export const LANGS = ['ko', 'en'] as const;
export type Lang = (typeof LANGS)[number];
type Words = Readonly<Record<Lang, string>>;

export const MESSAGES = {
  appTitle: { ko: '장비 대여 관리', en: 'Equipment rental admin' },
  switchLanguage: { ko: 'English', en: '한국어' },
  // sign-in
  signIn: { ko: '로그인', en: 'Sign in' },
  signingIn: { ko: '로그인 중…', en: 'Signing in…' },
  signOut: { ko: '로그아웃', en: 'Sign out' },
  email: { ko: '이메일', en: 'Email' },
  password: { ko: '비밀번호', en: 'Password' },
  signInHint: {
    ko: '관리자, 담당자, 회원 계정으로 로그인하세요',
    en: 'Sign in as an admin, staff member or member',
  },
  sessionEnded: {
    ko: '세션이 끝났습니다. 다시 로그인하세요',
    en: 'Your session ended. Please sign in again',
  },
  // navigation
  navOverview: { ko: '개요', en: 'Overview' },
  navLoans: { ko: '대여', en: 'Loans' },
  navItems: { ko: '물품', en: 'Items' },
  navPeople: { ko: '사용자', en: 'People' },
  navKiosks: { ko: '키오스크', en: 'Kiosks' },
  navConflicts: { ko: '충돌', en: 'Conflicts' },
  navAudit: { ko: '감사 기록', en: 'Audit log' },
  navMyLoans: { ko: '내 대여', en: 'My loans' },
  live: { ko: '실시간', en: 'Live' },
  liveOff: { ko: '연결 끊김', en: 'Disconnected' },
  roleAdmin: { ko: '관리자', en: 'Admin' },
  roleStaff: { ko: '담당자', en: 'Staff' },
  roleMember: { ko: '회원', en: 'Member' },
  loading: { ko: '불러오는 중…', en: 'Loading…' },
  none: { ko: '없음', en: 'None' },
  save: { ko: '저장', en: 'Save' },
  cancel: { ko: '취소', en: 'Cancel' },
  create: { ko: '만들기', en: 'Create' },
  edit: { ko: '수정', en: 'Edit' },
  close: { ko: '닫기', en: 'Close' },
  exportCsv: { ko: 'CSV 내보내기', en: 'Export CSV' },
  importCsv: { ko: 'CSV 가져오기', en: 'Import CSV' },
  saved: { ko: '저장했습니다', en: 'Saved' },
  // overview
  itemsOut: { ko: '대여 중', en: 'Items out' },
  ofTotal: { ko: '전체 {n}개 중', en: 'of {n} items' },
  overdue: { ko: '연체', en: 'Overdue' },
  kiosksOnline: { ko: '키오스크 온라인', en: 'Kiosks online' },
  kiosksOfflineN: { ko: '오프라인 {n}대', en: '{n} offline' },
  conflictsWaiting: { ko: '처리 대기 충돌', en: 'Conflicts waiting' },
  today: { ko: '오늘', en: 'Today' },
  todayCounts: { ko: '대여 {b} · 반납 {r}', en: '{b} borrowed · {r} returned' },
  recentActivity: { ko: '최근 활동', en: 'Recent activity' },
  noActivity: { ko: '아직 활동이 없습니다', en: 'No activity yet' },
  // transactions
  txBorrow: { ko: '대여', en: 'Borrow' },
  txReturn: { ko: '반납', en: 'Return' },
  statusApplied: { ko: '반영됨', en: 'Applied' },
  statusConflict: { ko: '충돌', en: 'Conflict' },
  statusRejected: { ko: '거부됨', en: 'Rejected' },
  // loans
  loanStatus: { ko: '상태', en: 'Status' },
  open: { ko: '대여 중', en: 'Open' },
  returned: { ko: '반납됨', en: 'Returned' },
  all: { ko: '전체', en: 'All' },
  person: { ko: '사용자', en: 'Person' },
  item: { ko: '물품', en: 'Item' },
  kiosk: { ko: '키오스크', en: 'Kiosk' },
  from: { ko: '시작일', en: 'From' },
  to: { ko: '종료일', en: 'To' },
  anyone: { ko: '모두', en: 'Anyone' },
  anything: { ko: '모두', en: 'Any' },
  borrowedAt: { ko: '대여 시각', en: 'Borrowed' },
  dueAt: { ko: '반납 기한', en: 'Due' },
  returnedAt: { ko: '반납 시각', en: 'Returned' },
  noLoans: { ko: '해당하는 대여가 없습니다', en: 'No loans match' },
  sendReminders: { ko: '연체 알림 보내기', en: 'Send overdue reminders' },
  remindersHint: {
    ko: '매일 자동으로도 보냅니다 (이메일, 웹훅)',
    en: 'Also sent automatically every day (email, webhook)',
  },
  remindersSent: {
    ko: '연체 {n}건: 알림 {s}건 보냄, {f}건 실패',
    en: '{n} overdue: {s} reminders sent, {f} failed',
  },
  closeLoan: { ko: '반납 처리', en: 'Mark returned' },
  closeLoanNote: { ko: '반납 처리 사유', en: 'Why is it returned?' },
  // items
  tag: { ko: '태그', en: 'Tag' },
  name: { ko: '이름', en: 'Name' },
  category: { ko: '분류', en: 'Category' },
  loanDays: { ko: '대여 일수', en: 'Loan days' },
  restrictedTo: { ko: '대여 가능', en: 'Who may borrow' },
  everyone: { ko: '누구나', en: 'Everyone' },
  staffAndAdmins: { ko: '담당자 이상', en: 'Staff and admins' },
  adminsOnly: { ko: '관리자만', en: 'Admins only' },
  lockerSlot: { ko: '보관함', en: 'Locker' },
  availability: { ko: '상태', en: 'Availability' },
  available: { ko: '대여 가능', en: 'Available' },
  onLoanTo: { ko: '{name} 대여 중', en: 'With {name}' },
  retired: { ko: '폐기됨', en: 'Retired' },
  retire: { ko: '폐기', en: 'Retire' },
  unretire: { ko: '다시 사용', en: 'Bring back' },
  newItem: { ko: '새 물품', en: 'New item' },
  history: { ko: '이력', en: 'History' },
  condition: { ko: '상태', en: 'Condition' },
  conditionOk: { ko: '정상', en: 'OK' },
  conditionNeedsCheck: { ko: '점검 필요', en: 'Needs check' },
  conditionInRepair: { ko: '수리 중', en: 'In repair' },
  conditionLost: { ko: '분실', en: 'Lost' },
  reportDamaged: { ko: '반납 시 파손 신고', en: 'reported damaged at return' },
  reportIncomplete: { ko: '반납 시 구성품 누락 신고', en: 'reported incomplete at return' },
  setCondition: { ko: '상태 변경', en: 'Set condition' },
  conditionNoteLabel: { ko: '메모 (감사 기록에 남습니다)', en: 'Note (goes to the audit log)' },
  conditionHistory: { ko: '상태 기록', en: 'Condition history' },
  itemsNeedingCheck: { ko: '점검·수리 대기 물품', en: 'Items to check or repair' },
  byKiosk: { ko: '키오스크 {name}', en: 'Kiosk {name}' },
  imported: { ko: '{c}개 추가, {u}개 수정', en: '{c} created, {u} updated' },
  importFailed: { ko: '가져오지 않았습니다. 아래 줄을 고쳐 주세요', en: 'Nothing imported. Fix these lines' },
  line: { ko: '{n}번째 줄', en: 'Line {n}' },
  since: { ko: '{t}부터', en: 'since {t}' },
  // people
  newPerson: { ko: '새 사용자', en: 'New person' },
  displayName: { ko: '이름', en: 'Name' },
  role: { ko: '역할', en: 'Role' },
  active: { ko: '활성', en: 'Active' },
  inactive: { ko: '비활성', en: 'Inactive' },
  deactivate: { ko: '비활성화', en: 'Deactivate' },
  activate: { ko: '활성화', en: 'Activate' },
  badges: { ko: '배지', en: 'Badges' },
  openLoans: { ko: '대여 중', en: 'Open loans' },
  badgeNumber: { ko: '배지 번호', en: 'Badge number' },
  badgeNumberHint: { ko: '예: kbd:1000234, nfc:04a1b2c3', en: 'e.g. kbd:1000234, nfc:04a1b2c3' },
  badgeNumberInvalid: { ko: '배지 번호 형식이 맞지 않습니다', en: 'That is not a badge number' },
  addBadge: { ko: '배지 추가', en: 'Add badge' },
  removeBadge: { ko: '제거', en: 'Remove' },
  unknownBadges: { ko: '키오스크에서 태그된 미등록 배지', en: 'Unknown badges tapped at a kiosk' },
  useThisBadge: { ko: '이 배지 등록', en: 'Give this badge' },
  tappedAt: { ko: '{kiosk}, {t} ({n}회)', en: '{kiosk}, {t} ({n}×)' },
  optional: { ko: '선택', en: 'optional' },
  passwordHint: { ko: '대시보드 로그인용, 10자 이상', en: 'For dashboard sign-in, 10+ characters' },
  // kiosks
  newKiosk: { ko: '새 키오스크', en: 'New kiosk' },
  enrollmentCode: { ko: '등록 코드', en: 'Enrollment code' },
  enrollmentCodeOnce: {
    ko: '이 코드는 지금 한 번만 표시됩니다. {t}까지 키오스크에 입력하세요',
    en: 'This code is shown only now. Enter it on the kiosk before {t}',
  },
  revoke: { ko: '사용 중지', en: 'Revoke' },
  revokeConfirm: { ko: '{name} 키오스크를 사용 중지할까요?', en: 'Revoke kiosk {name}?' },
  state: { ko: '상태', en: 'State' },
  statePending: { ko: '등록 대기', en: 'Waiting to enroll' },
  stateOnline: { ko: '온라인', en: 'Online' },
  stateOffline: { ko: '오프라인', en: 'Offline' },
  stateRevoked: { ko: '사용 중지', en: 'Revoked' },
  lastSeen: { ko: '마지막 연결', en: 'Last seen' },
  queueDepth: { ko: '동기화 대기', en: 'Queue' },
  oldestUnsynced: { ko: '가장 오래된 미동기화', en: 'Oldest unsynced' },
  readers: { ko: '리더기', en: 'Readers' },
  clockOffset: { ko: '시계 오차', en: 'Clock offset' },
  appVersion: { ko: '버전', en: 'Version' },
  never: { ko: '없음', en: 'Never' },
  seconds: { ko: '{n}초', en: '{n} s' },
  minutes: { ko: '{n}분', en: '{n} min' },
  hours: { ko: '{n}시간', en: '{n} h' },
  // conflicts
  openConflicts: { ko: '처리 대기', en: 'Waiting' },
  resolvedConflicts: { ko: '처리됨', en: 'Resolved' },
  noConflicts: { ko: '처리할 충돌이 없습니다', en: 'No conflicts to settle' },
  thisTx: { ko: '이 거래', en: 'This transaction' },
  otherTx: { ko: '충돌한 거래', en: 'It collided with' },
  noOtherTx: { ko: '충돌한 다른 거래가 없습니다', en: 'No other transaction involved' },
  occurredAt: { ko: '발생', en: 'Happened' },
  receivedAt: { ko: '수신', en: 'Received' },
  recordedOffline: { ko: '오프라인 기록', en: 'Recorded offline' },
  recordedOnline: { ko: '온라인 기록', en: 'Recorded online' },
  clockUntrusted: { ko: '키오스크 시계 불확실', en: 'Kiosk clock untrusted' },
  note: { ko: '메모', en: 'Note' },
  resolutionNote: { ko: '처리 내용 (감사 기록에 남습니다)', en: 'What was done (goes to the audit log)' },
  resolve: { ko: '처리 완료', en: 'Resolve' },
  resolvedBy: { ko: '{name}, {t}', en: '{name}, {t}' },
  holderNow: {
    ko: '지금 기록: {name} 님이 대여 중 ({t}부터)',
    en: 'Records now: on loan to {name} (since {t})',
  },
  holderNone: { ko: '지금 기록: 반납됨 (대여 중 아님)', en: 'Records now: returned (not on loan)' },
  whereIsItem: { ko: '물품은 실제로 어디에 있나요?', en: 'Where is the item really?' },
  keepLoans: { ko: '기록을 그대로 둡니다', en: 'Leave the loans as they are' },
  itemIsBack: { ko: '반납되어 보관 중입니다 (대여를 종료합니다)', en: 'It is back (close the loan)' },
  itemWith: {
    ko: '{name} 님이 가지고 있습니다 (지금부터 대여 중으로 기록)',
    en: '{name} has it (on loan to them from now)',
  },
  staffKiosk: { ko: '대시보드 (담당자 정정)', en: 'Dashboard (staff correction)' },
  // audit
  when: { ko: '시각', en: 'When' },
  who: { ko: '누가', en: 'Who' },
  via: { ko: '경로', en: 'From' },
  what: { ko: '무엇을', en: 'What' },
  detail: { ko: '내용', en: 'Detail' },
  loadMore: { ko: '더 보기', en: 'Load more' },
  // member
  myLoansEmpty: { ko: '빌린 물품이 없습니다', en: 'You have nothing on loan' },
} as const satisfies Record<string, Words>;

export type MessageKey = keyof typeof MESSAGES;

export const ERROR_WORDS: Record<ErrorCode, Words> = {
  BAD_REQUEST: { ko: '입력값을 확인해 주세요', en: 'Please check what you entered' },
  PAYLOAD_TOO_LARGE: { ko: '파일이 너무 큽니다', en: 'That is too large' },
  NOT_FOUND: {
    ko: '찾을 수 없습니다 (이미 삭제되었을 수 있습니다)',
    en: 'Not found (it may have been removed)',
  },
  METHOD_NOT_ALLOWED: { ko: '허용되지 않은 요청입니다', en: 'That request is not allowed' },
  ALREADY_EXISTS: { ko: '이미 있거나 이미 처리되었습니다', en: 'That already exists or was already done' },
  UNAUTHENTICATED: { ko: '로그인이 필요합니다', en: 'Please sign in' },
  TOKEN_INVALID: { ko: '로그인이 만료되었습니다', en: 'Your sign-in is no longer valid' },
  TOKEN_EXPIRED: { ko: '로그인이 만료되었습니다', en: 'Your sign-in expired' },
  TOKEN_REVOKED: { ko: '로그아웃되었습니다', en: 'You were signed out' },
  KIOSK_ASSERTION_INVALID: { ko: '키오스크를 확인할 수 없습니다', en: 'The kiosk could not be verified' },
  KIOSK_REVOKED: { ko: '사용 중지된 키오스크입니다', en: 'That kiosk is revoked' },
  FORBIDDEN: { ko: '권한이 없습니다', en: 'You are not allowed to do that' },
  CSRF_FAILED: { ko: '페이지를 새로 고친 뒤 다시 시도해 주세요', en: 'Please reload the page and try again' },
  INVALID_CREDENTIALS: { ko: '이메일 또는 비밀번호가 맞지 않습니다', en: 'Email or password is wrong' },
  RATE_LIMITED: { ko: '잠시 후 다시 시도해 주세요', en: 'Please wait a moment and try again' },
  ENROLLMENT_CODE_INVALID: { ko: '등록 코드가 유효하지 않습니다', en: 'The enrollment code is not valid' },
  BADGE_DENIED: { ko: '사용할 수 없는 배지입니다', en: 'That badge is not accepted' },
  BADGE_ALREADY_ENROLLED: {
    ko: '이미 다른 사람에게 등록된 배지입니다',
    en: 'That badge already belongs to someone',
  },
  ITEM_UNKNOWN: { ko: '등록되지 않은 물품', en: 'Unknown item' },
  ITEM_UNAVAILABLE: { ko: '다른 사람이 대여 중이던 물품', en: 'Item was on loan to someone else' },
  ITEM_NOT_ON_LOAN: { ko: '대여 중이 아닌 물품', en: 'Item was not on loan' },
  ITEM_NOT_ALLOWED: { ko: '대여 권한이 없는 물품', en: 'Not allowed to borrow this item' },
  ITEM_NEEDS_CHECK: { ko: '점검이 필요한 물품을 대여함', en: 'Item needing a check was lent' },
  LOAN_LIMIT_REACHED: { ko: '대여 한도 초과', en: 'Loan limit reached' },
  RETURNED_BY_OTHER: { ko: '다른 사람이 반납함', en: 'Returned by someone else' },
  USER_UNKNOWN: { ko: '등록되지 않은 사용자', en: 'Unknown person' },
  USER_INACTIVE: { ko: '비활성 사용자', en: 'Person is inactive' },
  OFFLINE_PROOF_INVALID: {
    ko: '오프라인 기록: 배지 증명이 없거나 맞지 않음',
    en: 'Offline record: badge proof missing or wrong',
  },
  OFFLINE_TIME_UNBOUNDED: {
    ko: '오프라인 기록: 시각을 명단 발급과 동기화 사이에 둘 수 없음',
    en: 'Offline record: time not between roster issue and sync',
  },
  TIME_DOUBTFUL: {
    ko: '반영됨: 키오스크 시계가 틀려 시각을 대여 토큰의 유효 시간 안으로 옮김',
    en: "Applied: the kiosk's clock was off, time moved into its rental token's life",
  },
  TX_ID_CLASH: { ko: '다른 키오스크가 이미 쓴 기록 ID', en: 'Record id already used by another kiosk' },
  SERVER_UNREACHABLE: { ko: '서버에 연결할 수 없습니다', en: 'The server cannot be reached' },
  OUTBOX_WRITE_FAILED: { ko: '키오스크 기록 실패', en: 'Kiosk could not record' },
  SESSION_REQUIRED: { ko: '세션이 필요합니다', en: 'A session is needed' },
  SERVICE_UNAVAILABLE: {
    ko: '서버가 잠시 데이터베이스에 연결하지 못하고 있습니다. 잠시 후 다시 시도해 주세요',
    en: 'The server cannot reach its database for the moment. Please try again shortly',
  },
  INTERNAL: { ko: '문제가 생겼습니다. 다시 시도해 주세요', en: 'Something went wrong. Please try again' },
};

export function interpolate(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  return interpolate(MESSAGES[key][lang], vars);
}

/** Words for an error: known codes by their entry, anything else as the generic apology. */
export function errorWords(lang: Lang, err: unknown): string {
  const code = typeof err === 'string' ? err : (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (ALL_ERROR_CODES as string[]).includes(code)
    ? ERROR_WORDS[code as ErrorCode][lang]
    : ERROR_WORDS.INTERNAL[lang];
}
