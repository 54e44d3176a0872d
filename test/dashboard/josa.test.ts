/**
 * Korean particles after names that end in digits or Latin words (src-dashboard/josa.ts):
 * chosen by how a Korean reader says the ending aloud.
 */
import { describe, expect, it } from 'vitest';
import { eul, iGa, ro } from '../../src-dashboard/josa.ts';

describe('을/를 after Latin words and digits', () => {
  it.each([
    ['멀티미터 Multimeter', '멀티미터 Multimeter를'], // 멀티미터: a final r is silent
    ['Projector', 'Projector를'],
    ['MacBook Air 13', 'MacBook Air 13을'], // 십삼
    ['iPad Pro 12.9', 'iPad Pro 12.9를'], // …구
    ['LG 모니터 10', 'LG 모니터 10을'], // 십
    ['iPad', 'iPad를'], // 아이패드
    ['Galaxy Tab S9', 'Galaxy Tab S9을'], // 에스나인
    ['Sony A7', 'Sony A7을'], // 에이세븐
    ['ThinkPad X1', 'ThinkPad X1을'], // 엑스원
    ['GoPro HERO12', 'GoPro HERO12를'], // 십이
    ['MacBook', 'MacBook을'], // 맥북
    ['Laptop', 'Laptop을'], // 랩톱
    ['Magic Mouse', 'Magic Mouse를'], // 매직 마우스
    ['USB-C Cable', 'USB-C Cable을'], // 케이블
    ['HDMI', 'HDMI를'], // 에이치디엠아이
    ['Galaxy Tab S', 'Galaxy Tab S를'], // 에스
    ['Vision Pro XR', 'Vision Pro XR을'], // 엑스알
    ['Phone', 'Phone을'], // 폰
    ['Drawing Tablet Pen', 'Drawing Tablet Pen을'], // 펜
    ['Webcam', 'Webcam을'], // 웹캠
    ['Charging Dock', 'Charging Dock을'], // 독
    ['Galaxy Tab', 'Galaxy Tab을'], // 탭
    ['Robot Lab', 'Robot Lab을'], // 랩
    ['Extension Ring', 'Extension Ring을'], // 링
    ['Speaker', 'Speaker를'], // 스피커
    ['Arduino Kit', 'Arduino Kit를'], // 키트
    ['USB Mic', 'USB Mic를'], // 마이크
    ['Sony A7 IV', 'Sony A7 IV를'], // 브이
  ])('%s', (word, expected) => {
    expect(eul(word)).toBe(expected);
  });
});

describe('이/가 and (으)로 follow the same reading', () => {
  it('after Latin and digit endings', () => {
    expect([iGa('Multimeter'), iGa('Galaxy Tab S9'), iGa('iPad')]).toEqual([
      'Multimeter가',
      'Galaxy Tab S9이',
      'iPad가',
    ]);
    // ㄹ takes 로, like 서울로
    expect([ro('Cable'), ro('XR'), ro('Sony A7'), ro('Multimeter'), ro('노트북 1')]).toEqual([
      'Cable로',
      'XR로',
      'Sony A7으로',
      'Multimeter로',
      '노트북 1로',
    ]);
  });
});
