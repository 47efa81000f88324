import { useTranslation } from "react-i18next";
import { languages } from "./i18nSetup.ts";
import { cx } from "./ui/cx.ts";

/** 日本語 / English toggle. The choice is kept in localStorage and sets <html lang>. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t, i18n } = useTranslation("common");
  const current = i18n.resolvedLanguage ?? i18n.language;
  return (
    <fieldset className={cx("flex items-center", className)} data-testid="language-switch">
      <legend className="sr-only">{t("language.label")}</legend>
      <div className="inline-flex overflow-hidden rounded-8 border border-solid-gray-600">
        {languages.map((lang) => {
          const active = current === lang;
          return (
            <button
              key={lang}
              type="button"
              lang={lang}
              aria-pressed={active}
              data-testid={`lang-${lang}`}
              onClick={() => void i18n.changeLanguage(lang)}
              className={cx(
                "min-h-9 px-3 text-oln-14B-100",
                active ? "bg-blue-900 text-white" : "bg-white text-blue-900 hover:bg-blue-50 hover:underline",
              )}
            >
              {t(`language.${lang}`)}
            </button>
          );
        })}
      </div>
    </fieldset>
  );
}
