/** Renderer entry: pick the transport (Electron IPC or WebSocket) and mount the UI. */
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { pickKioskApi } from './api/pick-api.ts';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <ErrorBoundary>
      <App source={pickKioskApi(window)} />
    </ErrorBoundary>,
  );
}
