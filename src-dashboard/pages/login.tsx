/**
 * Sign-in page: the organisation's single sign-on button when it is configured (README,
 * "Single sign-on (OpenID Connect)"), and email and password unless passwords are off, in
 * which case the form hides behind a small link for the break-glass administrator. A refused
 * single sign-on comes back here as ?sso_error=<code> and is shown in words. The session
 * then lives in HttpOnly cookies either way.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { isErrorCode, type Profile } from '../../protocol/index.ts';
import { SSO_ERROR_PARAM, type SsoInfo } from '../../protocol/wire/sso.ts';
import { api } from '../api.ts';
import { errorWords, translate, type Lang, type MessageKey } from '../i18n.ts';

/** The refusal the server sent the browser back with, taken off the address bar once read. */
function takeSsoError(): string | null {
  const url = new URL(window.location.href);
  const code = url.searchParams.get(SSO_ERROR_PARAM);
  if (code === null) return null;
  url.searchParams.delete(SSO_ERROR_PARAM);
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  // Only a sign-in refusal the callback sends is shown: a crafted link cannot put another
  // message (say, a security warning) on the sign-in page. Anything else: the generic apology.
  const fromCallback = code.startsWith('SSO_') || code === 'PASSWORD_LOGIN_DISABLED';
  return fromCallback && isErrorCode(code) ? code : 'INTERNAL';
}

export function LoginPage(props: {
  lang: Lang;
  setLang: (l: Lang) => void;
  notice: string | null;
  onSignedIn: (me: Profile) => void;
}) {
  const { lang } = props;
  const t = (k: MessageKey, vars?: Record<string, string | number>) => translate(lang, k, vars);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(() => takeSsoError());
  const [sso, setSso] = useState<SsoInfo | null>(null);
  const [showPassword, setShowPassword] = useState(false);
  useEffect(() => {
    api.get<SsoInfo>('/v1/auth/sso').then(setSso, () => setSso({ enabled: false, passwordLogin: true }));
  }, []);
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
  // Until the server says, nothing but the heading: no flash of a form that is then hidden.
  // Beside single sign-on the password button is secondary; for the break-glass admin who
  // asked for the form it is the one to press.
  const ssoOn = sso?.enabled === true;
  const passwordForm = sso !== null && (sso.passwordLogin || showPassword);
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
        {error ? (
          <p className="error" role="alert" data-testid="sign-in-error">
            {errorWords(lang, error)}
          </p>
        ) : null}
        {ssoOn ? (
          <a className="button sso-button" href={sso.startUrl} data-testid="sso-sign-in">
            {t('signInWith', { name: sso.providerName ?? 'SSO' })}
          </a>
        ) : null}
        {ssoOn && passwordForm ? <div className="login-or">{t('signInOr')}</div> : null}
        {passwordForm ? (
          <>
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
            <button
              type="submit"
              className={ssoOn && sso.passwordLogin ? 'wide' : 'primary wide'}
              disabled={busy}
            >
              {busy ? t('signingIn') : t('signIn')}
            </button>
          </>
        ) : null}
        {sso && !sso.passwordLogin && !showPassword ? (
          <button
            type="button"
            className="link login-admin"
            data-testid="admin-sign-in"
            onClick={() => setShowPassword(true)}
          >
            {t('adminSignIn')}
          </button>
        ) : null}
      </form>
    </main>
  );
}
