/**
 * Every word the kiosk shows, Korean and English side by side in one table.
 *
 * One entry holds both languages so a new string cannot be added in one and forgotten in
 * the other (the type demands both; test/renderer/i18n.test.ts also checks that neither is
 * empty and both use the same {placeholders}). Error codes have their own table below.
 */
import type { ErrorCode } from '../../protocol/errors.ts';

export const LANGS = ['ko', 'en'] as const;
export type Lang = (typeof LANGS)[number];

type Words = Readonly<Record<Lang, string>>;

export const MESSAGES = {
  appTitle: { ko: '장비 대여', en: 'Equipment rental' },
  starting: { ko: '준비 중…', en: 'Starting…' },

  // idle
  tapBadge: { ko: '카드를 태그해 주세요', en: 'Tap your badge' },
  tapBadgeHint: { ko: '카드를 리더기에 대 주세요', en: 'Hold your card to the reader' },
  online: { ko: '온라인', en: 'Online' },
  offline: { ko: '오프라인', en: 'Offline' },
  offlineHonest: {
    ko: '오프라인: 대여와 반납은 이 키오스크에 기록해 두었다가, 연결되면 서버로 보냅니다',
    en: 'Offline: borrowing and returning are recorded here and sent to the server once connected',
  },
  pendingSync: { ko: '전송 대기 {n}건', en: '{n} waiting to sync' },
  allSynced: { ko: '모두 전송됨', en: 'All synced' },
  kioskUnreachable: {
    ko: '키오스크와 연결이 끊겼습니다. 다시 연결하는 중…',
    en: 'Lost contact with the kiosk. Reconnecting…',
  },
  switchLanguage: { ko: 'English', en: '한국어' },
  switchLanguageLabel: { ko: '언어 바꾸기: English', en: 'Change language: 한국어' },

  // identifying / committing
  checkingBadge: { ko: '카드 확인 중…', en: 'Checking your badge…' },
  saving: { ko: '기록하는 중…', en: 'Recording…' },

  // session home
  hello: { ko: '{name}님, 안녕하세요', en: 'Hello, {name}' },
  offlineSession: {
    ko: '오프라인: 이 키오스크에 기록해 두었다가 연결되면 서버로 보냅니다',
    en: 'Offline: recorded here, sent to the server once connected',
  },
  yourLoans: { ko: '대여 중인 물품', en: 'Your loans' },
  noLoans: { ko: '빌린 물품이 없습니다', en: 'You have nothing on loan' },
  loansUnknownOffline: {
    ko: '오프라인이라 지금은 대여 목록을 확인할 수 없습니다',
    en: 'Offline: your loans cannot be shown right now',
  },
  dueOn: { ko: '반납일 {date}', en: 'Due {date}' },
  overdue: { ko: '연체', en: 'Overdue' },
  borrow: { ko: '빌리기', en: 'Borrow' },
  returnItems: { ko: '반납하기', en: 'Return' },
  finish: { ko: '끝내기', en: 'Finish' },
  back: { ko: '뒤로', en: 'Back' },

  // borrow
  borrowTitle: { ko: '빌릴 물품', en: 'Borrow items' },
  scanOrPick: {
    ko: '물품 태그를 스캔하거나 목록에서 고르세요',
    en: 'Scan an item tag or pick from the list',
  },
  search: { ko: '검색', en: 'Search' },
  searchPlaceholder: { ko: '이름 또는 태그로 찾기', en: 'Find by name or tag' },
  clearSearch: { ko: '검색어 지우기', en: 'Clear search' },
  noMatch: { ko: '맞는 물품이 없습니다', en: 'No items match' },
  cart: { ko: '담은 물품', en: 'Your cart' },
  cartEmpty: { ko: '아직 담은 물품이 없습니다', en: 'Nothing in your cart yet' },
  borrowN: { ko: '{n}개 빌리기', en: 'Borrow {n}' },
  addToCart: { ko: '{name} 담기', en: 'Add {name}' },
  removeFromCart: { ko: '{name} 빼기', en: 'Remove {name}' },
  inCart: { ko: '담음', en: 'In cart' },
  onLoan: { ko: '대여 중', en: 'On loan' },
  loanDays: { ko: '{n}일', en: '{n} day|{n} days' },
  cartFull: { ko: '한 번에 {n}개까지 빌릴 수 있습니다', en: 'Up to {n} items at a time' },

  // return
  returnTitle: { ko: '반납할 물품', en: 'Return items' },
  tapOrScanReturn: {
    ko: '반납할 물품을 누르거나 아무 물품이나 스캔하세요',
    en: 'Tap your items, or scan any item',
  },
  scannedForReturn: { ko: '스캔한 물품', en: 'Scanned items' },
  // Returning an item someone else holds: said before it is committed (first name only).
  heldByName: { ko: '{name} 님이 빌린 물품입니다', en: 'Borrowed by {name}' },
  heldBySomeone: { ko: '다른 사람이 빌린 물품입니다', en: 'Borrowed by someone else' },
  // The on-screen keyboard of a search field (service mode's enrol list, the borrow list).
  kbdOpen: { ko: '키보드', en: 'Keyboard' },
  kbdTitle: { ko: '화면 키보드', en: 'On-screen keyboard' },
  kbdDone: { ko: '완료', en: 'Done' },
  kbdFound: { ko: '{n}명', en: '{n} person|{n} people' },
  kbdFoundItems: { ko: '{n}개', en: '{n} item|{n} items' },
  kbdShift: { ko: 'Shift (쌍자음·대문자)', en: 'Shift (capitals)' },
  kbdToLatin: { ko: '영문 자판으로 바꾸기', en: 'Switch to Latin letters' },
  kbdToHangul: { ko: '한글 자판으로 바꾸기', en: 'Switch to Hangul' },
  kbdSpace: { ko: '띄어쓰기', en: 'Space' },
  kbdBackspace: { ko: '한 글자 지우기', en: 'Backspace' },
  noteDamaged: { ko: '파손됨', en: 'Damaged' },
  noteMissingPart: { ko: '구성품 누락', en: 'Part missing' },
  conditionCheckHint: {
    ko: '담당자가 점검할 때까지 다른 사람이 빌릴 수 없게 됩니다',
    en: 'Nobody can borrow it until staff have checked it',
  },
  // The return's list of chosen items, each with its own report (a sheet per item).
  returningTitle: { ko: '반납할 물품', en: 'Returning' },
  returningEmpty: { ko: '반납할 물품을 골라 주세요', en: 'Choose what you are returning' },
  reportProblem: { ko: '문제 알리기', en: 'Report a problem' },
  reportProblemFor: { ko: '{name} 문제 알리기', en: 'Report a problem with {name}' },
  reportChange: { ko: '바꾸기', en: 'Change' },
  reportChangeFor: { ko: '{name} 알린 내용 바꾸기', en: 'Change what you reported about {name}' },
  reportDamaged: { ko: '파손', en: 'Damaged' },
  reportMissingOne: { ko: '{part} 빠짐', en: '{part} missing' },
  reportMissingMany: { ko: '구성품 {n}개 빠짐', en: '{n} part missing|{n} parts missing' },
  reportNoteOnly: { ko: '메모 남김', en: 'Note left' },
  reportDone: { ko: '완료', en: 'Done' },
  reportNone: { ko: '문제 없음', en: 'No problem' },
  conditionLabel: { ko: '상태', en: 'Condition' },
  noteLabel: { ko: '메모', en: 'Note' },
  notePlaceholder: { ko: '눌러서 메모 쓰기 (선택)', en: 'Tap to write a note (optional)' },
  noteTyping: { ko: '메모를 입력하세요', en: 'Type a note' },
  // A kit: which of its parts came back, all ticked to start with.
  kitParts: { ko: '구성품 {n}개', en: '{n} part|{n} parts' },
  kitAllHere: { ko: '구성품 {n}개 모두 있음', en: 'Its part is here|All {n} parts here' },
  kitCheckTitle: { ko: '돌려주는 구성품', en: 'Parts you are returning' },
  kitCheckHint: { ko: '빠진 구성품은 눌러서 체크를 해제해 주세요', en: 'Tap a missing part to untick it' },
  partMissing: { ko: '빠짐', en: 'Missing' },
  returnN: { ko: '{n}개 반납하기', en: 'Return {n}' },
  selectForReturn: { ko: '{name} 반납 선택', en: 'Select {name} to return' },

  // scans
  scanUnknown: { ko: '등록되지 않은 물품 태그입니다: {tag}', en: 'Unknown item tag: {tag}' },
  scanAdded: { ko: '{name}: 담았습니다', en: '{name}: added' },
  scanNotBorrowable: { ko: '{name}: 빌릴 수 없습니다', en: '{name}: cannot be borrowed' },

  // lending rules that stop items of a cart (issue 16)
  ruleRefusedSome: {
    ko: '대여 규칙에 맞지 않는 물품은 담은 목록에서 뺐습니다. 나머지는 그대로 빌릴 수 있습니다',
    en: 'Items the rules stop were taken out of the cart; you can borrow the rest',
  },
  ruleRefusedAll: {
    ko: '담은 물품을 지금은 빌릴 수 없습니다',
    en: 'You cannot borrow what is in the cart now',
  },
  ruleLoanLimit: {
    ko: '한 번에 {limit}개까지 빌릴 수 있습니다. 지금 {have}개를 빌리고 있어 {n}개 더 빌릴 수 있습니다',
    en: 'You may have {limit} items at once; you have {have}, so you can take {n} more',
  },
  ruleLoanLimitFull: {
    ko: '한 번에 {limit}개까지 빌릴 수 있는데, 이미 {have}개를 빌리고 있습니다',
    en: 'You may have {limit} items at once, and you have {have} already',
  },
  ruleCategoryLimit: {
    ko: '{category}: 한 번에 {limit}개까지입니다. 지금 {have}개를 빌리고 있어 {n}개 더 빌릴 수 있습니다',
    en: '{category}: you may have {limit} at once; you have {have}, so you can take {n} more',
  },
  ruleCategoryLimitFull: {
    ko: '{category}: 한 번에 {limit}개까지인데, 이미 {have}개를 빌리고 있습니다',
    en: '{category}: you may have {limit} at once, and you have {have} already',
  },
  ruleCategoryNotAllowed: {
    ko: '{category}: 이 분류는 빌릴 수 없습니다',
    en: '{category}: your role may not borrow this category',
  },
  ruleOverdue: {
    ko: '반납일이 지난 물품 {n}개를 먼저 반납해 주세요',
    en: 'Please return your overdue item first|Please return your {n} overdue items first',
  },
  ruleSuspended: {
    ko: '대여가 정지되어 있습니다. {until}부터 다시 빌릴 수 있습니다',
    en: 'Your borrowing is suspended; you can borrow again from {until}',
  },
  ruleSuspendedNote: { ko: '사유: {note}', en: 'Reason: {note}' },

  // reservations at the kiosk (issue 16)
  reservedTitle: { ko: '예약한 물품', en: 'Reserved for you' },
  reservedAnyOf: { ko: '{category} 중 하나', en: 'Any one of {category}' },
  reservedUntil: { ko: '{until}까지 예약', en: 'Reserved until {until}' },
  reservedPickUpBy: {
    ko: '{time}까지 대여하지 않으면 예약이 취소됩니다',
    en: 'Borrow it by {time} or the reservation lapses',
  },
  reservedBorrow: { ko: '바로 대여', en: 'Borrow now' },
  reservedBorrowLabel: { ko: '{name} 바로 대여', en: 'Borrow {name} now' },
  reservedNotHere: {
    ko: '지금 이 키오스크에는 없습니다. 담당자에게 문의해 주세요',
    en: 'Not on the shelf here right now. Please ask the staff',
  },
  reservedFreeAt: { ko: '예약됨 · {time}부터 대여 가능', en: 'Reserved · free from {time}' },
  ruleReserved: {
    ko: '다른 사람이 예약한 물품입니다. {time}부터 빌릴 수 있습니다',
    en: 'Reserved for someone else; free again from {time}',
  },

  // renewals (issue 16)
  renew: { ko: '연장', en: 'Renew' },
  renewAll: { ko: '모두 연장', en: 'Renew all' },
  renewTitle: { ko: '대여 연장', en: 'Renew loans' },
  renewHint: {
    ko: '연장할 물품을 고르세요. 연장하기 전에 새 반납일을 보여 드립니다',
    en: 'Choose what to renew; you see the new due date before you confirm',
  },
  renewSelect: { ko: '{name} 연장 선택', en: 'Select {name} to renew' },
  renewNewDue: { ko: '새 반납일 {date}', en: 'New due date {date}' },
  renewFromTo: { ko: '{from} → {to}', en: '{from} → {to}' },
  renewLeft: { ko: '연장 {n}번 더 가능', en: '{n} renewal left|{n} renewals left' },
  renewConfirmTitle: { ko: '이대로 연장할까요?', en: 'Renew these loans?' },
  renewN: { ko: '{n}개 연장하기', en: 'Renew {n}' },
  renewNone: { ko: '지금 연장할 수 있는 물품이 없습니다', en: 'Nothing can be renewed right now' },
  ruleRenewalLimit: {
    ko: '이 물품은 {limit}번까지 연장할 수 있고, 이미 {n}번 연장했습니다',
    en: 'This item can be renewed {limit} times at most, and it has been renewed {n} time already|This item can be renewed {limit} times at most, and it has been renewed {n} times already',
  },
  ruleRenewalOverdue: {
    ko: '반납일이 지나서 연장할 수 없습니다 ({date}). 반납해 주세요',
    en: 'It was due {date}: an overdue loan cannot be renewed. Please return it',
  },
  receiptRenewed: { ko: '연장 완료', en: 'Renewed' },

  // inactivity
  endingIn: { ko: '{s}초 후 자동 종료', en: 'Ending in {s} s' },
  stay: { ko: '계속하기', en: 'Keep going' },

  // receipt
  receiptBorrowed: { ko: '대여 완료', en: 'Borrowed' },
  receiptReturned: { ko: '반납 완료', en: 'Returned' },
  recordedWillSync: {
    ko: '이 키오스크에 기록했습니다. 연결되면 서버로 보냅니다',
    en: 'Recorded on this kiosk; sent to the server once connected',
  },
  recordedSynced: { ko: '서버에 기록되었습니다', en: 'Recorded on the server' },
  backToStartSoon: { ko: '잠시 후 처음 화면으로 돌아갑니다', en: 'Back to the start in a moment' },
  done: { ko: '확인', en: 'Done' },
  at: { ko: '{time} 기록', en: 'Recorded at {time}' },

  // denied
  deniedTitle: { ko: '사용할 수 없습니다', en: 'Not accepted' },
  deniedHint: { ko: '다시 태그하거나 담당자에게 문의하세요', en: 'Tap again, or ask the staff' },
  // A refused badge (unknown, or its person inactive: never said which), in both languages at
  // once, since whose language it is cannot be known yet.
  badgeRefusedTitle: { ko: '이 카드로는 이용할 수 없습니다', en: 'This card cannot be used here' },
  badgeRefusedWhat: {
    ko: '카드 등록이나 이용 권한을 확인해야 합니다.',
    en: 'Your card or your access needs to be checked.',
  },
  badgeRefusedAskDefault: {
    ko: '장비실 담당자에게 이 카드를 보여 주세요.',
    en: 'Please show this card to the equipment room staff.',
  },
  badgeRefusedAsk: { ko: '문의처', en: 'Ask' },

  // out of service (the kiosk's database failed)
  outOfServiceTitle: { ko: '지금은 이용할 수 없습니다', en: 'Out of service' },
  outOfServiceLead: {
    ko: '이 키오스크에서는 지금 대여와 반납을 할 수 없습니다. 담당자에게 알려 주세요.',
    en: 'Nothing can be borrowed or returned at this kiosk right now. Please tell the staff.',
  },
  outOfServiceHint: {
    ko: '관리자 카드를 태그하면 관리 모드가 열립니다',
    en: 'An admin badge opens service mode',
  },
  storageFault: {
    ko: '이 키오스크의 데이터베이스에 문제가 생겼습니다. 자세한 내용은 대시보드의 키오스크 목록과 키오스크 로그에 있습니다.',
    en: "This kiosk's database has failed. The details are on the dashboard's Kiosks page and in the kiosk's log.",
  },

  // service mode
  serviceTitle: { ko: '관리 모드', en: 'Service mode' },
  serviceAdmin: { ko: '관리자: {name}', en: 'Admin: {name}' },
  readers: { ko: '리더기', en: 'Readers' },
  // The same names as the dashboard's Kiosks page (src-dashboard/i18n.ts).
  readerNfc: { ko: 'NFC 리더', en: 'NFC reader' },
  readerWiegand: { ko: 'Wiegand 리더', en: 'Wiegand reader' },
  readerKeyboardWedge: { ko: '키보드 입력 리더', en: 'Keyboard reader' },
  readerSimulator: { ko: '시뮬레이터', en: 'Simulator' },
  outputs: { ko: '출력 장치', en: 'Outputs' },
  noneConnected: { ko: '없음', en: 'None' },
  queue: { ko: '서버 전송 대기', en: 'Waiting to sync' },
  queueDepth: { ko: '{n}건 대기', en: '{n} waiting' },
  needsAttention: {
    ko: '확인 필요 {n}건 (대시보드)',
    en: '{n} needs attention (dashboard)|{n} need attention (dashboard)',
  },
  lastSync: { ko: '마지막 동기화: {time}', en: 'Last sync: {time}' },
  never: { ko: '없음', en: 'never' },
  syncNow: { ko: '지금 동기화', en: 'Sync now' },
  syncing: { ko: '동기화 중…', en: 'Syncing…' },
  syncRequested: { ko: '동기화를 요청했습니다', en: 'Sync requested' },
  enrolTitle: { ko: '카드 등록', en: 'Enrol a badge' },
  enrolPick: { ko: '카드를 등록할 사람을 고르세요', en: 'Choose who the new badge belongs to' },
  enrolFor: { ko: '{name}님에게 카드 등록', en: 'Enrol a badge for {name}' },
  enrolTapNow: { ko: '새 카드를 지금 태그하세요', en: 'Tap the new badge now' },
  enrolDone: { ko: '{name}님에게 카드를 등록했습니다', en: 'Badge enrolled for {name}' },
  enrolFailed: { ko: '등록하지 못했습니다', en: 'Could not enrol the badge' },
  noPeople: { ko: '등록할 사람 목록이 없습니다', en: 'No people to enrol to' },
  cancel: { ko: '취소', en: 'Cancel' },
  leaveService: { ko: '관리 모드 끝내기', en: 'Leave service mode' },
  statePresent: { ko: '연결됨', en: 'Connected' },
  stateGone: { ko: '분리됨', en: 'Unplugged' },
  stateError: { ko: '오류', en: 'Error' },
  stateOk: { ko: '정상', en: 'OK' },
  stateOff: { ko: '꺼짐', en: 'Off' },

  // simulator (development)
  simulator: { ko: '시뮬레이터', en: 'Simulator' },
  simulatorTap: { ko: '태그', en: 'Tap' },
  simulatorBadge: { ko: '카드 값', en: 'Badge value' },
  simulatorScan: { ko: '물품 스캔', en: 'Scan item' },
  simulatorTag: { ko: '물품 태그', en: 'Item tag' },
  simulatorClose: { ko: '시뮬레이터 닫기', en: 'Close simulator' },

  // last resort
  crashTitle: { ko: '문제가 생겼습니다', en: 'Something went wrong' },
  crashBody: {
    ko: '화면을 다시 불러옵니다. 계속되면 담당자에게 알려 주세요.',
    en: 'The screen will reload. If this keeps happening, please tell the staff.',
  },
  reload: { ko: '다시 불러오기', en: 'Reload' },
} as const satisfies Record<string, Words>;

export type MessageKey = keyof typeof MESSAGES;

/** What a person reads for each error code: short, no detail that helps guessing. */
export const ERROR_WORDS: Readonly<Record<ErrorCode, Words>> = {
  BAD_REQUEST: { ko: '요청을 처리할 수 없습니다', en: 'That request could not be handled' },
  PAYLOAD_TOO_LARGE: { ko: '요청이 너무 큽니다', en: 'That request is too large' },
  NOT_FOUND: { ko: '찾을 수 없습니다', en: 'Not found' },
  METHOD_NOT_ALLOWED: { ko: '허용되지 않은 요청입니다', en: 'That request is not allowed' },
  UNAUTHENTICATED: { ko: '다시 카드를 태그해 주세요', en: 'Please tap your badge again' },
  TOKEN_INVALID: {
    ko: '이용 시간이 끝났습니다. 카드를 다시 태그해 주세요',
    en: 'Your time is up. Please tap your badge again',
  },
  TOKEN_EXPIRED: {
    ko: '이용 시간이 끝났습니다. 카드를 다시 태그해 주세요',
    en: 'Your time is up. Please tap your badge again',
  },
  KIOSK_ASSERTION_INVALID: {
    ko: '이 키오스크를 확인할 수 없습니다. 담당자에게 문의하세요',
    en: 'This kiosk could not be verified. Please ask the staff',
  },
  KIOSK_REVOKED: {
    ko: '이 키오스크는 사용이 중지되었습니다. 담당자에게 문의하세요',
    en: 'This kiosk has been switched off. Please ask the staff',
  },
  TOKEN_REVOKED: {
    ko: '로그아웃되었습니다. 다시 로그인해 주세요',
    en: 'You were signed out. Please sign in again',
  },
  CSRF_FAILED: {
    ko: '요청을 확인할 수 없습니다. 페이지를 새로 고쳐 주세요',
    en: 'That request could not be verified. Please reload the page',
  },
  ALREADY_EXISTS: { ko: '이미 등록되어 있습니다', en: 'That already exists' },
  LAST_ADMIN: { ko: '관리자가 한 명도 남지 않게 됩니다', en: 'This would leave no administrator' },
  PERSON_NAME_INVALID: {
    ko: '이름은 비워 둘 수 없고, 줄바꿈이나 보이지 않는 문자 없이 200자까지 쓸 수 있습니다',
    en: 'Name cannot be empty, and can be at most 200 characters with no line breaks or invisible characters',
  },
  DATE_RANGE_INVALID: {
    ko: '시작 날짜가 끝 날짜보다 늦습니다. 날짜를 다시 골라 주세요',
    en: 'The start date is after the end date. Choose the dates again',
  },
  POLICIES_CHANGED: {
    ko: '그사이 다른 사람이 대여 규칙을 저장했습니다. 새로 고쳐 바뀐 내용을 확인한 뒤 다시 바꿔 주세요',
    en: 'Someone else saved the lending rules meanwhile. Reload to see their change, then make yours again',
  },
  EMAIL_INVALID: { ko: '이메일 주소 형식이 올바르지 않습니다', en: 'That is not an email address' },
  EMAIL_TAKEN: {
    ko: '이 이메일 주소는 이미 다른 사람이 쓰고 있습니다',
    en: 'Someone else already has this email address',
  },
  EMPLOYEE_NUMBER_INVALID: {
    ko: '사원 번호는 50자까지 쓸 수 있습니다',
    en: 'Employee number can be at most 50 characters',
  },
  DEPARTMENT_INVALID: {
    ko: '부서 이름은 100자까지 쓸 수 있습니다',
    en: 'Department can be at most 100 characters',
  },
  BADGE_LABEL_INVALID: {
    ko: '카드 이름은 100자까지 쓸 수 있습니다',
    en: 'A card label can be at most 100 characters',
  },
  DIRECTORY_MANAGED: {
    ko: '조직 디렉터리에서 관리하는 항목이라 여기서 바꿀 수 없습니다',
    en: "Managed by your organisation's directory; it cannot be changed here",
  },
  OWN_ACCESS: {
    ko: '자기 역할을 낮추거나 자기 계정을 비활성화할 수는 없습니다',
    en: 'You cannot lower your own role or deactivate yourself',
  },
  PHOTO_UNSUPPORTED: {
    ko: 'JPEG, PNG, WebP 사진만 올릴 수 있습니다',
    en: 'Only JPEG, PNG or WebP photos can be used',
  },
  PHOTO_TOO_LARGE: { ko: '사진이 너무 큽니다', en: 'That photo is too large' },
  FORBIDDEN: { ko: '허용되지 않은 작업입니다', en: 'You are not allowed to do that' },
  INVALID_CREDENTIALS: { ko: '로그인 정보가 맞지 않습니다', en: 'Those sign-in details do not match' },
  PASSWORD_LOGIN_DISABLED: {
    ko: '이 계정은 비밀번호로 로그인할 수 없습니다. 조직 계정(SSO)으로 로그인해 주세요',
    en: 'This account cannot sign in with a password. Please sign in with your organisation account',
  },
  SSO_NOT_CONFIGURED: { ko: 'SSO 로그인이 설정되어 있지 않습니다', en: 'Single sign-on is not set up' },
  SSO_CANCELLED: { ko: '로그인이 취소되었습니다', en: 'Sign-in was cancelled' },
  SSO_PROVIDER_ERROR: {
    ko: '로그인 서비스가 오류를 알려 왔습니다. 다시 시도하거나 관리자에게 문의해 주세요',
    en: 'The sign-in provider reported an error. Try again or ask your administrator',
  },
  SSO_PROVIDER_UNREACHABLE: {
    ko: '로그인 서비스에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요',
    en: 'The sign-in provider cannot be reached. Please try again shortly',
  },
  SSO_STATE_INVALID: {
    ko: '이 브라우저에서 시작한 로그인이 아닙니다. 처음부터 다시 로그인해 주세요',
    en: 'This sign-in was not started in this browser. Please sign in again',
  },
  SSO_STATE_EXPIRED: {
    ko: '로그인 시간이 지났습니다. 처음부터 다시 로그인해 주세요',
    en: 'The sign-in took too long. Please sign in again',
  },
  SSO_STATE_REUSED: {
    ko: '이미 사용된 로그인 요청입니다. 처음부터 다시 로그인해 주세요',
    en: 'That sign-in request was already used. Please sign in again',
  },
  SSO_CODE_REJECTED: {
    ko: '로그인 서비스가 인증 코드를 거부했습니다(이미 사용되었거나 만료됨). 다시 로그인해 주세요',
    en: 'The provider refused the sign-in code (already used or expired). Please sign in again',
  },
  SSO_ISSUER_MISMATCH: {
    ko: '설정된 로그인 서비스가 발급한 토큰이 아닙니다',
    en: 'The token was not issued by the configured sign-in provider',
  },
  SSO_AUDIENCE_MISMATCH: {
    ko: '이 서비스를 위해 발급된 토큰이 아닙니다',
    en: 'The token was not issued for this service',
  },
  SSO_NONCE_MISMATCH: {
    ko: '로그인 응답이 이 요청과 맞지 않습니다(nonce). 다시 로그인해 주세요',
    en: 'The sign-in answer does not match this request (nonce). Please sign in again',
  },
  SSO_TOKEN_INVALID: {
    ko: '로그인 서비스의 토큰을 확인할 수 없습니다',
    en: "The sign-in provider's token could not be verified",
  },
  SSO_CLAIM_MISSING: {
    ko: '로그인 서비스에서 이 계정의 이메일(또는 사용자 이름)을 받지 못했거나, 확인되지 않은 이메일입니다. 관리자에게 문의해 주세요',
    en: 'The provider did not send a verified email (or user name) for this account. Ask your administrator',
  },
  SSO_USER_NOT_FOUND: {
    ko: '이 계정으로 등록된 사용자가 없습니다. 관리자에게 등록을 요청해 주세요',
    en: 'No one is registered here for this account. Ask your administrator to add you',
  },
  SSO_NO_MAPPED_GROUP: {
    ko: '이 서비스를 쓸 수 있는 그룹에 속해 있지 않습니다. 관리자에게 문의해 주세요',
    en: 'Your account is not in a group allowed to use this service. Ask your administrator',
  },
  SSO_IDENTITY_CONFLICT: {
    ko: '이 사용자는 이미 다른 SSO 계정과 연결되어 있습니다. 관리자에게 문의해 주세요',
    en: 'This person is already linked to another single sign-on account. Ask your administrator',
  },
  SSO_ACCOUNT_INACTIVE: {
    ko: '사용이 중지된 계정입니다. 관리자에게 문의해 주세요',
    en: 'This account has been deactivated. Ask your administrator',
  },
  RATE_LIMITED: { ko: '잠시 후 다시 시도해 주세요', en: 'Please wait a moment and try again' },
  ENROLLMENT_CODE_INVALID: { ko: '등록 코드가 유효하지 않습니다', en: 'The enrolment code is not valid' },
  BADGE_DENIED: { ko: '이 카드는 사용할 수 없습니다', en: 'This badge is not accepted' },
  BADGE_ALREADY_ENROLLED: { ko: '이미 등록된 카드입니다', en: 'This badge is already enrolled' },
  ITEM_UNKNOWN: { ko: '등록되지 않은 물품입니다', en: 'This item is not registered' },
  ITEM_UNAVAILABLE: { ko: '다른 사람이 빌린 물품입니다', en: 'This item is on loan to someone else' },
  ITEM_NOT_ON_LOAN: { ko: '대여 중인 물품이 아닙니다', en: 'This item is not on loan' },
  ITEM_NOT_ALLOWED: { ko: '빌릴 권한이 없는 물품입니다', en: 'You are not allowed to borrow this' },
  ITEM_NEEDS_CHECK: {
    ko: '점검 중: 담당자 확인 후 대여 가능',
    en: 'Being checked by staff: not lent yet',
  },
  LOAN_LIMIT_REACHED: { ko: '더 빌릴 수 없습니다 (대여 한도)', en: 'You have reached your loan limit' },
  CATEGORY_LIMIT_REACHED: {
    ko: '이 분류는 더 빌릴 수 없습니다 (분류별 한도)',
    en: 'You have reached the limit for this category',
  },
  CATEGORY_NOT_ALLOWED: { ko: '이 분류의 물품은 빌릴 수 없습니다', en: 'You may not borrow this category' },
  OVERDUE_BLOCK: {
    ko: '반납일이 지난 물품을 먼저 반납해 주세요',
    en: 'Please return your overdue items first',
  },
  PERSON_SUSPENDED: { ko: '대여가 정지된 상태입니다', en: 'Your borrowing is suspended' },
  RENEWAL_LIMIT_REACHED: {
    ko: '더 연장할 수 없습니다 (연장 횟수를 다 썼습니다)',
    en: 'This loan cannot be renewed again (no renewals left)',
  },
  RENEWAL_OVERDUE: {
    ko: '반납일이 지나 연장할 수 없습니다. 반납해 주세요',
    en: 'An overdue loan cannot be renewed. Please return it',
  },
  RENEWAL_RESERVED: {
    ko: '다른 사람이 예약한 물품이라 연장할 수 없습니다',
    en: 'Someone has reserved this item, so the loan cannot be renewed',
  },
  RESERVATION_WINDOW_INVALID: {
    ko: '예약 종료 시간은 시작 시간보다 늦어야 합니다',
    en: 'A reservation must end after it starts',
  },
  RESERVATION_IN_PAST: {
    ko: '지난 시간으로는 예약할 수 없습니다',
    en: 'A reservation cannot start in the past',
  },
  RESERVATION_TOO_LONG: { ko: '예약 기간이 너무 깁니다', en: 'That reservation is longer than allowed' },
  RESERVATION_TOO_FAR: {
    ko: '그렇게 먼 날짜는 아직 예약할 수 없습니다',
    en: 'That is too far ahead to reserve yet',
  },
  RESERVATION_CONFLICT: {
    ko: '그 시간에는 이미 예약되었거나 대여 중입니다',
    en: 'Already reserved or on loan at that time',
  },
  RESERVATION_NOT_ACTIVE: {
    ko: '이미 대여했거나 취소·만료된 예약입니다',
    en: 'This reservation was already picked up, cancelled or expired',
  },
  ITEM_RESERVED: {
    ko: '다른 사람이 예약한 물품입니다',
    en: 'This item is reserved for someone else',
  },
  POLICY_INVALID: { ko: '대여 규칙이 올바르지 않습니다', en: 'The lending rules are not valid' },
  POLICY_LIMIT_INVALID: {
    ko: '한도와 대여 기간은 0 이상이어야 합니다 (대여 기간은 1~365일)',
    en: 'Limits and loan periods cannot be negative (a loan period is 1 to 365 days)',
  },
  POLICY_HOURS_INVALID: {
    ko: '마감 시간은 여는 시간보다 늦어야 합니다',
    en: 'Closing time must be later than opening time',
  },
  POLICY_TIME_ZONE_INVALID: {
    ko: '알 수 없는 시간대입니다 (예: Asia/Seoul)',
    en: 'Unknown time zone (for example Asia/Seoul)',
  },
  POLICY_NOTHING_LENDABLE: {
    ko: '이 규칙으로는 아무것도 빌릴 수 없습니다',
    en: 'Under these rules nothing could be borrowed',
  },
  REPORT_PERIOD_INVALID: {
    ko: '기간을 확인해 주세요. 날짜는 2026-03-01처럼 쓰고, 종료일은 시작일보다 앞설 수 없으며 시작일은 오늘 이후일 수 없습니다',
    en: 'Check the period: dates like 2026-03-01, the end not before the start, and the start not in the future',
  },
  REPORT_PERIOD_TOO_LONG: {
    ko: '기간은 최대 366일까지 지정할 수 있습니다',
    en: 'A period can be at most 366 days',
  },
  REMINDERS_NOT_CONFIGURED: {
    ko: '알림 채널이 설정되지 않아 보낼 수 없습니다. 서버에 이메일(RENTAL_SMTP_URL)이나 웹훅(RENTAL_REMINDER_WEBHOOK)을 설정해 주세요',
    en: 'No reminder channel is set up, so nothing can be sent. Set up email (RENTAL_SMTP_URL) or a webhook (RENTAL_REMINDER_WEBHOOK) on the server',
  },
  RETURNED_BY_OTHER: { ko: '다른 사람이 반납한 물품입니다', en: 'Someone else returned this item' },
  USER_UNKNOWN: { ko: '등록되지 않은 사용자입니다', en: 'This person is not registered' },
  USER_INACTIVE: { ko: '사용이 중지된 계정입니다', en: 'This account is not active' },
  OFFLINE_PROOF_INVALID: {
    ko: '오프라인 기록을 카드로 확인할 수 없습니다. 담당자가 확인합니다',
    en: 'This offline record could not be matched to the badge. Staff will check it',
  },
  OFFLINE_TIME_UNBOUNDED: {
    ko: '오프라인 기록의 시각을 확인할 수 없습니다. 담당자가 확인합니다',
    en: 'The time of this offline record could not be confirmed. Staff will check it',
  },
  TIME_DOUBTFUL: {
    ko: '기록은 반영되었지만 시각이 확실하지 않습니다. 담당자가 확인합니다',
    en: 'Recorded, but its time is uncertain. Staff will check it',
  },
  TX_ID_CLASH: {
    ko: '다른 키오스크와 기록 번호가 겹쳤습니다. 담당자에게 문의하세요',
    en: 'This record number was already used by another kiosk. Please ask the staff',
  },
  SERVER_UNREACHABLE: {
    ko: '서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요',
    en: 'The server cannot be reached. Please try again shortly',
  },
  OUTBOX_WRITE_FAILED: {
    ko: '기록하지 못했습니다. 아무것도 저장되지 않았습니다. 담당자에게 문의하세요',
    en: 'Could not record this; nothing was saved. Please ask the staff',
  },
  SESSION_REQUIRED: { ko: '먼저 카드를 태그해 주세요', en: 'Please tap your badge first' },
  SERVICE_UNAVAILABLE: {
    ko: '서버가 잠시 응답하지 않습니다. 기록은 키오스크에 안전하게 남아 있습니다',
    en: 'The server is not answering for a moment. Your records are kept safely on this kiosk',
  },
  INTERNAL: { ko: '문제가 생겼습니다. 다시 시도해 주세요', en: 'Something went wrong. Please try again' },
};
