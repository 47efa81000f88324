import "../app/zod-jitless.ts";
import "../styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { App } from "./App.tsx";
import { i18n } from "./i18n.ts";

const container = document.getElementById("root");
if (!container) throw new Error("#root is missing from my/index.html");

// Installable and usable offline (vite.config.ts, patientAppPwa). Not in development builds.
if (import.meta.env.PROD && "serviceWorker" in navigator) {
  void navigator.serviceWorker.register("/my/sw.js", { scope: "/my/" }).catch(() => undefined);
}

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>
  </StrictMode>,
);
