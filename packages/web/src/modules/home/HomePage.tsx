import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import { can, useMe } from "../../app/auth.ts";
import { menuFor } from "../../app/menu.ts";
import { PageHeader } from "../../app/ui/PageHeader.tsx";
import { SuggestionsPanel } from "../clusters/SuggestionsPanel.tsx";

/** Role home: who you are signed in as, and the role's screens as large links. */
export function HomePage() {
  const { t } = useTranslation("home");
  const { t: tc } = useTranslation("common");
  const me = useMe();
  const items = menuFor(me);
  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("welcome", { name: me.displayName, affiliation: me.affiliation?.name ?? "" })}
      />
      <section aria-labelledby="home-role" className="mb-8">
        <h2 id="home-role" className="text-std-20B-150">
          {t(`role.${me.role}.title`)}
        </h2>
        <p className="mt-1 max-w-3xl text-std-16N-170 text-solid-gray-700">
          {t(`role.${me.role}.description`)}
        </p>
      </section>
      {can(me, "update", "cluster") ? <SuggestionsPanel /> : null}
      <section aria-labelledby="home-tasks">
        <h2 id="home-tasks" className="mb-3 text-std-20B-150">
          {t("tasks")}
        </h2>
        <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3" data-testid="home-tasks">
          {items.map((item) => (
            <li key={item.name}>
              <Link
                to={item.to}
                data-testid={`home-${item.name}`}
                className="group flex h-full flex-col gap-1 rounded-12 border border-solid-gray-420 bg-white p-5 hover:border-blue-900 hover:bg-blue-50"
              >
                <span className="text-std-18B-160 text-blue-1000 group-hover:underline">
                  {tc(item.labelKey)}
                </span>
                <span className="text-std-16N-170 text-solid-gray-700">{t(`task.${item.name}`)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
