import { type RefObject, useEffect, useRef, useState } from "react";

export type ECharts = ReturnType<typeof import("./echarts.ts")["echarts"]["init"]>;

/**
 * An ECharts instance on a box: ECharts loads with the first chart (its own chunk), follows the
 * box's size, and is disposed with the component. Null until loaded.
 */
export function useEChart(renderer: "canvas" | "svg"): [RefObject<HTMLDivElement | null>, ECharts | null] {
  const box = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<ECharts | null>(null);
  useEffect(() => {
    let instance: ECharts | null = null;
    let cancelled = false;
    const resize = new ResizeObserver(() => instance?.resize());
    void import("./echarts.ts").then(({ echarts }) => {
      if (cancelled || !box.current) return;
      instance = echarts.init(box.current, null, { renderer });
      resize.observe(box.current);
      setChart(instance);
    });
    return () => {
      cancelled = true;
      resize.disconnect();
      instance?.dispose();
    };
  }, [renderer]);
  return [box, chart];
}
