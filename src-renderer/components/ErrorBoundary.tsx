/**
 * Last line of defence: a render bug shows plain words in both languages, never a stack,
 * and the screen reloads itself (nobody at a kiosk can open devtools).
 */
import { Component, type ReactNode } from 'react';
import { MESSAGES } from '../i18n/messages.ts';

type Props = { children: ReactNode; reloadAfterMs?: number; onReload?: () => void };
type State = { failed: boolean };

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { failed: false };
  private timer: ReturnType<typeof setTimeout> | null = null;

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown) {
    // The console is for the developer tools / Electron log only; the screen shows words.
    console.error('kiosk UI crashed', error);
    this.timer = setTimeout(() => this.reload(), this.props.reloadAfterMs ?? 10_000);
  }

  override componentWillUnmount() {
    if (this.timer) clearTimeout(this.timer);
  }

  private reload = () => {
    if (this.props.onReload) this.props.onReload();
    else window.location.reload();
  };

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="screen screen-center crash" role="alert">
        <h1>
          {MESSAGES.crashTitle.ko}
          <br />
          <span className="secondary-lang">{MESSAGES.crashTitle.en}</span>
        </h1>
        <p>{MESSAGES.crashBody.ko}</p>
        <p className="secondary-lang">{MESSAGES.crashBody.en}</p>
        <button type="button" className="btn btn-primary btn-big" onClick={this.reload}>
          {MESSAGES.reload.ko} / {MESSAGES.reload.en}
        </button>
      </main>
    );
  }
}
