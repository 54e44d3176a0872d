/**
 * In-app dialogs instead of the browser's prompt() and confirm(): in the dashboard's
 * language and style, modal (the native <dialog>: focus moves into it, Escape cancels), and
 * able to ask for a note. `useAsk()` returns a function that opens one and resolves with the
 * answer: `{ ok, note }`.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useT } from './context.tsx';

export type Ask = {
  title: string;
  /** What happens if they go on, in a sentence. */
  body?: string;
  confirm: string;
  /** A change that ends someone's access or takes something out of use. */
  danger?: boolean;
  /** Ask for a note too; a required one keeps the button off until something is written. */
  note?: { label: string; required: boolean };
};
export type Answer = { ok: boolean; note: string };

const AskContext = createContext<((ask: Ask) => Promise<Answer>) | null>(null);

export function useAsk(): (ask: Ask) => Promise<Answer> {
  const ask = useContext(AskContext);
  if (!ask) throw new Error('useAsk outside DialogHost');
  return ask;
}

export function DialogHost(props: { children: ReactNode }) {
  const [open, setOpen] = useState<{ ask: Ask; resolve: (a: Answer) => void } | null>(null);
  const ask = (a: Ask) => new Promise<Answer>((resolve) => setOpen({ ask: a, resolve }));
  return (
    <AskContext.Provider value={ask}>
      {props.children}
      {open ? (
        <AskDialog
          key={open.ask.title}
          ask={open.ask}
          done={(answer) => {
            open.resolve(answer);
            setOpen(null);
          }}
        />
      ) : null}
    </AskContext.Provider>
  );
}

function AskDialog(props: { ask: Ask; done: (a: Answer) => void }) {
  const { t } = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const { ask } = props;
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const cancel = () => props.done({ ok: false, note: '' });
  const blocked = Boolean(ask.note?.required && !note.trim());
  return (
    <dialog
      ref={ref}
      className="ask"
      data-testid="ask"
      aria-labelledby="ask-title"
      onCancel={(e) => {
        e.preventDefault(); // Escape: answer "no" through React, not by closing behind its back
        cancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) props.done({ ok: true, note: note.trim() });
        }}
      >
        <h2 id="ask-title">{ask.title}</h2>
        {ask.body ? <p>{ask.body}</p> : null}
        {ask.note ? (
          <label className="field">
            <span className="field-label">{ask.note.label}</span>
            <textarea
              value={note}
              onChange={(e) => setNote(e.target.value)}
              rows={3}
              maxLength={1000}
              autoFocus
            />
          </label>
        ) : null}
        <div className="form-actions">
          <button type="submit" className={ask.danger ? 'danger' : 'primary'} disabled={blocked}>
            {ask.confirm}
          </button>
          <button type="button" onClick={cancel} autoFocus={!ask.note}>
            {t('cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
