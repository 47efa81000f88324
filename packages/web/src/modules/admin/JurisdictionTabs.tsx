import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";

const tabClass =
  "-mb-px inline-block border-b-4 border-transparent px-4 py-2 text-std-16N-170 text-solid-gray-800 hover:text-blue-1000 hover:underline aria-[current=page]:border-blue-900 aria-[current=page]:font-bold aria-[current=page]:text-blue-1000";

/** Sub-navigation of the 管轄・施設 screen: the tree, the health center master, the facility list. */
export function JurisdictionTabs() {
  const { t } = useTranslation("admin");
  return (
    <nav aria-label={t("jurisdictions.tabs")} className="mb-6 border-b border-solid-gray-420">
      <ul className="flex gap-2">
        <li>
          <Link to="/admin/jurisdictions" className={tabClass} data-testid="tab-jurisdictions">
            {t("jurisdictions.tabTree")}
          </Link>
        </li>
        <li>
          <Link to="/admin/health-centers" className={tabClass} data-testid="tab-health-centers">
            {t("healthCenters.tab")}
          </Link>
        </li>
        <li>
          <Link to="/admin/facilities" className={tabClass} data-testid="tab-facilities">
            {t("facilities.tab")}
          </Link>
        </li>
      </ul>
    </nav>
  );
}
