/** Sign-in page: email and password; the session then lives in HttpOnly cookies. */
import { useState, type FormEvent } from 'react';
import type { Profile } from '../../../../protocol/index.ts';
import { api } from '../api.ts';
import { errorWords, translate, type Lang } from '../i18n.ts';

export function LoginPage(props: {
  lang: Lang;
  setLang: (l: Lang) => void;
  notice: string | null;
  onSignedIn: (me: Profile) => void;
}) {
  const { lang } = props;
  const t = (k: Parameters<typeof translate>[1]) => translate(lang, k);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      props.onSignedIn((await api.login(email.trim(), password)).user);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)}>
        <div className="login-head">
          <h1>{t('appTitle')}</h1>
          <button type="button" className="link" onClick={() => props.setLang(lang === 'ko' ? 'en' : 'ko')}>
            {t('switchLanguage')}
          </button>
        </div>
        <p className="muted">{t('signInHint')}</p>
        {props.notice ? <p className="notice">{props.notice}</p> : null}
        <label className="field">
          <span className="field-label">{t('email')}</span>
          <input
            name="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('password')}</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p className="error" role="alert">
            {errorWords(lang, error)}
          </p>
        ) : null}
        <button type="submit" className="primary wide" disabled={busy}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
    </main>
  );
}
