// nfc-pcsc ships no types; nfc-reader.ts describes the parts it uses (NfcLibrary, NfcDevice).
declare module 'nfc-pcsc';
