// Another PC/SC client on the machine, as a kiosk left running would be: nfc-pcsc on the
// machine's pcscd socket, reading the UID of every card it sees. Prints one line per event.
import nfcPcsc from 'nfc-pcsc';

const say = (line) => process.stdout.write(`${line}\n`);
// Said first: with no daemon at the socket, pcsc-lite's SCardEstablishContext (in the
// constructor) waits for one to appear, as a kiosk's would.
say('started');
try {
  const nfc = new nfcPcsc.NFC();
  nfc.on('reader', (reader) => {
    say(`reader ${reader.reader.name}`);
    reader.on('card', (card) => say(`card ${card.uid}`));
    reader.on('error', (err) => say(`reader-error ${err.message}`));
  });
  nfc.on('error', (err) => say(`error ${err.message}`));
} catch (err) {
  say(`error ${err.message}`);
}
setInterval(() => {}, 1000); // stays until the test ends it
