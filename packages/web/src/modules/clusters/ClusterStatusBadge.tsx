import { clusterStatuses } from "#domain/cluster.ts";
import { Badge, type BadgeTone } from "../../app/ui/Badge.tsx";
import { useCodeLabel } from "../cases/labels.ts";

const tone: Record<string, BadgeTone> = { open: "danger", monitoring: "warning", closed: "success" };

export function ClusterStatusBadge({ status }: { status: string }) {
  const codeLabel = useCodeLabel();
  return <Badge tone={tone[status] ?? "neutral"}>{codeLabel(clusterStatuses, status)}</Badge>;
}
