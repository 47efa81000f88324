import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { languages } from "../app/i18nSetup.ts";

/**
 * Patient app (健康観察, /my/): placeholder. Mobile first, no staff code in this bundle.
 * The health module will replace this with the daily report form (POST /api/v1/self/reports).
 */
export function App() {
  const { t, i18n } = useTranslation("my");
  useEffect(() => {
    document.title = t("title");
  }, [t]);
  const current = i18n.resolvedLanguage ?? i18n.language;
  return (
    <div className="mx-auto flex min-h-dvh max-w-xl flex-col">
      <header className="flex items-center justify-between gap-3 border-b-4 border-blue-900 px-4 py-3">
        <h1 className="text-std-20B-150 text-blue-1000">{t("title")}</h1>
        <fieldset className="flex gap-1">
          <legend className="sr-only">{t("language")}</legend>
          {languages.map((lang) => (
            <button
              key={lang}
              type="button"
              lang={lang}
              aria-pressed={current === lang}
              onClick={() => void i18n.changeLanguage(lang)}
              className="min-h-11 rounded-8 border border-solid-gray-600 px-3 text-oln-14B-100 aria-pressed:bg-blue-900 aria-pressed:text-white"
            >
              {t(`languageName.${lang}`)}
            </button>
          ))}
        </fieldset>
      </header>
      <main id="main" className="flex-1 px-4 py-8">
        <p className="rounded-12 border border-dashed border-solid-gray-420 bg-solid-gray-50 p-6 text-std-18N-160">
          {t("comingSoon")}
        </p>
      </main>
    </div>
  );
}
