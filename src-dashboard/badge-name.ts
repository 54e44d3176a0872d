/**
 * A badge as a person recognises it: the reader kind and the last digits ("NFC 카드 · 끝자리
 * b2c3"), from the hint the server keeps (`nfc:…b2c3`), never its id or its number.
 */
import { useT } from './context.tsx';
import type { MessageKey } from './i18n.ts';

const BADGE_KINDS: Record<string, MessageKey> = {
  nfc: 'badgeKindNfc',
  wiegand: 'badgeKindWiegand',
  kbd: 'badgeKindKbd',
};

export function useBadgeName(): (hint: string | null) => string {
  const { t } = useT();
  return (hint) => {
    const m = hint ? /^([a-z]+)\d*:…(.+)$/.exec(hint) : null;
    const kind = m ? BADGE_KINDS[m[1]!] : undefined;
    if (!m || !kind) return t('badgeNoHint');
    return t('badgeEnding', { kind: t(kind), tail: m[2]! });
  };
}
