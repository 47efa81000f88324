import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError, buildUrl, type Query } from "../../app/api.ts";
import { ErrorAlert } from "../../app/ui/Alert.tsx";
import { Button } from "../../app/ui/Button.tsx";

/** Downloads a list's CSV with the screen's filter (the server streams it, UTF-8 with BOM). */
export function CsvButton({ path, query, testId }: { path: string; query: Query; testId: string }) {
  const { t } = useTranslation("investigation");
  const download = useMutation({
    mutationFn: async () => {
      const response = await fetch(buildUrl(path, query), { credentials: "same-origin" });
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as {
          error?: { code?: string; message?: string };
        } | null;
        throw new ApiError({
          status: response.status,
          code: body?.error?.code ?? `http_${response.status}`,
          message: body?.error?.message ?? response.statusText,
        });
      }
      const name =
        /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "list.csv";
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
  });
  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        variant="secondary"
        busy={download.isPending}
        onClick={() => download.mutate()}
        data-testid={testId}
      >
        {t("csv.download")}
      </Button>
      <ErrorAlert error={download.error} />
    </div>
  );
}
