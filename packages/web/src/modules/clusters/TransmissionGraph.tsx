import { useNavigate } from "@tanstack/react-router";
import type { Core, ElementDefinition, LayoutOptions } from "cytoscape";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { caseStatuses } from "#domain/codes.ts";
import { Button } from "../../app/ui/Button.tsx";
import { useCodeLabel } from "../cases/labels.ts";
import type { Graph, GraphEdge, GraphNode } from "./api.ts";

// 感染経路図: cases and contacts as nodes, contact links as arrows (index → contact), cluster
// members grouped in a box, coloured by status. Tree (who infected whom) or timeline (by onset).

const statusColour: Record<string, string> = {
  contact: "#949494",
  awaiting: "#d16d00",
  hospitalized: "#0946f1",
  hospitalized_severe: "#ec0000",
  hotel: "#259d63",
  home: "#7096f8",
  released: "#1a1a1a",
  deceased: "#333333",
};

type Layout = "tree" | "timeline";

const DAY = 24 * 3600_000;
/**
 * Above this many nodes, cytoscape's compound boxes cost seconds to lay out and draw (every
 * member re-measures its box): members are ringed in the cluster colour instead, and the tree
 * is placed by `treePositions` in a taller box.
 */
const LARGE_GRAPH = 150;
/** Nodes per row of a generation in a large tree: a generation of hundreds would be a thin line. */
const WRAP = 40;
const dayOf = (n: GraphNode) => n.onsetDate ?? n.diagnosisDate;

/** Positions for the timeline: x by onset (or diagnosis) day, stacked within a day. */
function timelinePositions(nodes: GraphNode[]) {
  const days = nodes
    .map(dayOf)
    .filter((d): d is string => d !== null)
    .sort();
  const first = days[0] ? Date.parse(days[0]) : 0;
  const stack = new Map<number, number>();
  return new Map(
    nodes.map((n) => {
      const d = dayOf(n);
      // Undated nodes (other centers' cases, contacts without onset) go in a row of their own.
      const column = d ? Math.round((Date.parse(d) - first) / DAY) : -1;
      const row = stack.get(column) ?? 0;
      stack.set(column, row + 1);
      return [n.id, { x: column * 140, y: row * 90 }];
    }),
  );
}

/**
 * Positions for a large tree: generations top down (from the cases nothing links to), each
 * generation in its parents' order so siblings stand together, wrapped into rows of WRAP.
 */
function treePositions(nodes: GraphNode[], edges: GraphEdge[]) {
  const children = new Map<string, string[]>();
  const linkedTo = new Set<string>();
  for (const e of edges) {
    children.set(e.source, [...(children.get(e.source) ?? []), e.target]);
    linkedTo.add(e.target);
  }
  const placed = new Set<string>();
  const positions = new Map<string, { x: number; y: number }>();
  // Sources of chains first, unlinked cases after them.
  const roots = nodes.filter((n) => !linkedTo.has(n.id));
  let generation = [
    ...roots.filter((n) => children.has(n.id)),
    ...roots.filter((n) => !children.has(n.id)),
  ].map((n) => n.id);
  let y = 0;
  while (generation.length > 0 || placed.size < nodes.length) {
    // Only cycles are left: start from one of them.
    if (generation.length === 0) generation = [nodes.find((n) => !placed.has(n.id))?.id as string];
    for (const id of generation) placed.add(id);
    const rows = Math.ceil(generation.length / WRAP);
    const perRow = Math.ceil(generation.length / rows);
    generation.forEach((id, i) => {
      positions.set(id, { x: ((i % perRow) - (perRow - 1) / 2) * 70, y: y + Math.floor(i / perRow) * 70 });
    });
    y += rows * 70 + 70;
    const next: string[] = [];
    for (const id of generation)
      for (const c of children.get(id) ?? [])
        if (!placed.has(c)) {
          placed.add(c);
          next.push(c);
        }
    generation = next;
  }
  return positions;
}

export function TransmissionGraph({ graph, fileName }: { graph: Graph; fileName: string }) {
  const { t } = useTranslation("clusters");
  const codeLabel = useCodeLabel();
  const navigate = useNavigate();
  const box = useRef<HTMLDivElement>(null);
  const [cy, setCy] = useState<Core | null>(null);
  const [layout, setLayout] = useState<Layout>("tree");
  const [renderedNodes, setRenderedNodes] = useState<number | null>(null);

  const large = graph.nodes.length > LARGE_GRAPH;
  const elements = useMemo<ElementDefinition[]>(() => {
    const boxed = !large;
    const shownClusters = new Set(boxed ? graph.clusters.map((c) => c.id) : []);
    return [
      ...graph.clusters
        .filter((c) => shownClusters.has(c.id))
        .map((c) => ({ data: { id: `cluster:${c.id}`, label: c.name }, classes: "cluster" })),
      ...graph.nodes.map((n) => {
        const parent = n.clusterIds.find((id) => shownClusters.has(id));
        const ringed = !boxed && n.clusterIds.length > 0;
        return {
          data: {
            id: n.id,
            label: n.visible
              ? `${n.label ?? ""}\n${codeLabel(caseStatuses, n.status)}`
              : t("graph.hiddenCase"),
            colour: statusColour[n.status] ?? "#949494",
            ...(parent ? { parent: `cluster:${parent}` } : {}),
          },
          classes: [n.kind, n.visible ? "" : "hidden", n.root ? "root" : "", ringed ? "member" : ""]
            .join(" ")
            .trim(),
        };
      }),
      ...graph.edges.map((e) => ({
        data: { id: `edge:${e.id}`, source: e.source, target: e.target },
        classes: e.kind,
      })),
    ];
  }, [graph, large, codeLabel, t]);

  useEffect(() => {
    let instance: Core | null = null;
    let cancelled = false;
    void import("cytoscape").then(({ default: cytoscape }) => {
      if (cancelled || !box.current) return;
      instance = cytoscape({
        container: box.current,
        elements: [],
        wheelSensitivity: 0.3,
        style: [
          {
            selector: "node",
            style: {
              label: "data(label)",
              "text-wrap": "wrap",
              "text-valign": "bottom",
              "text-margin-y": 4,
              "font-size": 11,
              // Labels too small to read are not drawn (the overview of a large graph): zoom shows them.
              "min-zoomed-font-size": 8,
              "background-color": "data(colour)",
              width: 28,
              height: 28,
            },
          },
          { selector: "node.contact", style: { shape: "round-rectangle" } },
          {
            selector: "node.hidden",
            style: { "background-opacity": 0.3, "border-width": 1, "border-style": "dashed" },
          },
          { selector: "node.member", style: { "border-width": 3, "border-color": "#7096f8" } },
          { selector: "node.root", style: { "border-width": 4, "border-color": "#1a1a1a" } },
          {
            selector: "node.cluster",
            style: {
              "background-color": "#e8f1fe",
              "border-color": "#7096f8",
              "border-width": 1,
              "text-valign": "top",
              "font-weight": "bold",
              shape: "round-rectangle",
            },
          },
          {
            selector: "edge",
            style: {
              width: 2,
              "line-color": "#767676",
              "target-arrow-color": "#767676",
              "target-arrow-shape": "triangle",
              "curve-style": "bezier",
            },
          },
          { selector: "edge.infection", style: { "line-style": "dashed" } },
        ],
      });
      instance.on("tap", "node", (event) => {
        const id = event.target.id() as string;
        if (id.startsWith("cluster:")) {
          void navigate({ to: "/clusters/$clusterId", params: { clusterId: id.slice(8) } });
          return;
        }
        if (event.target.hasClass("hidden")) return;
        void navigate({ to: "/cases/$caseId", params: { caseId: id }, search: { tab: "investigation" } });
      });
      setCy(instance);
    });
    return () => {
      cancelled = true;
      instance?.destroy();
    };
  }, [navigate]);

  useEffect(() => {
    if (!cy) return;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
    });
    const options: LayoutOptions =
      layout === "tree" && !large
        ? { name: "breadthfirst", directed: true, spacingFactor: 1.2, padding: 24 }
        : {
            name: "preset",
            padding: 24,
            positions: Object.fromEntries(
              layout === "tree" ? treePositions(graph.nodes, graph.edges) : timelinePositions(graph.nodes),
            ),
          };
    setRenderedNodes(null);
    const run = cy.layout(options);
    // Laid out and drawn: marked for the browser's performance timeline and shown on the box,
    // so tests and the benchmark wait for the drawing, not for the data.
    run.one("layoutstop", () =>
      cy.one("render", () => {
        performance.mark("transmission-graph-rendered", { detail: { nodes: graph.nodes.length } });
        setRenderedNodes(graph.nodes.length);
      }),
    );
    run.run();
    cy.fit(undefined, 24);
  }, [cy, elements, layout, graph.nodes, graph.edges, large]);

  const exportPng = () => {
    if (!cy) return;
    const blob = cy.png({ full: true, bg: "#ffffff", output: "blob", scale: 2 });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${fileName}.png`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section aria-label={t("graph.title")} className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <fieldset className="flex items-center gap-2">
          <legend className="sr-only">{t("graph.layout")}</legend>
          {(["tree", "timeline"] as const).map((l) => (
            <Button
              key={l}
              size="sm"
              variant={layout === l ? "primary" : "secondary"}
              aria-pressed={layout === l}
              onClick={() => setLayout(l)}
              data-testid={`graph-layout-${l}`}
            >
              {t(`graph.layouts.${l}`)}
            </Button>
          ))}
        </fieldset>
        <Button
          size="sm"
          variant="secondary"
          onClick={exportPng}
          disabled={!cy}
          data-testid="graph-export-png"
        >
          {t("graph.exportPng")}
        </Button>
        <span className="text-dns-14N-130 text-solid-gray-700">
          {t("graph.summary", { nodes: graph.nodes.length, edges: graph.edges.length })}
        </span>
      </div>
      <div
        ref={box}
        role="img"
        aria-label={t("graph.ariaLabel", { nodes: graph.nodes.length, edges: graph.edges.length })}
        data-testid="transmission-graph"
        data-ready={cy ? "true" : "false"}
        data-node-count={graph.nodes.length}
        data-rendered-nodes={renderedNodes ?? undefined}
        className={`${large ? "h-[720px]" : "h-[480px]"} w-full rounded-8 border border-solid-gray-420 bg-white`}
      />
      <ul
        className="flex flex-wrap gap-3 text-dns-14N-130 text-solid-gray-700"
        aria-label={t("graph.legend")}
      >
        {Object.entries(statusColour).map(([status, colour]) => (
          <li key={status} className="flex items-center gap-1">
            <span
              aria-hidden="true"
              className="inline-block size-3 rounded-full"
              style={{ backgroundColor: colour }}
            />
            {codeLabel(caseStatuses, status)}
          </li>
        ))}
        {large && graph.clusters.length > 0 ? (
          <li className="flex items-center gap-1">
            <span aria-hidden="true" className="inline-block size-3 rounded-full border-2 border-[#7096f8]" />
            {t("graph.memberRing")}
          </li>
        ) : null}
      </ul>
    </section>
  );
}
