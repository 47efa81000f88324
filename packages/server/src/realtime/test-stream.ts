/** An SSE client for tests: collects events and notices when the server ends the stream. */
export type TestStream = {
  events: { id: string | null; event: string; data: string }[];
  /** Whether the server ended the stream within `ms`. */
  ended: (ms: number) => Promise<boolean>;
  close: () => void;
};

export async function openStream(
  url: string,
  token: string,
  options: { lastEventId?: string } = {},
): Promise<TestStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (options.lastEventId) headers["last-event-id"] = options.lastEventId;
  const res = await fetch(`${url}/api/v1/events`, { headers, signal: controller.signal });
  if (res.status !== 200) throw new Error(`event stream refused: ${res.status}`);
  const events: TestStream["events"] = [];
  let endedByServer = false;
  const reading = (async () => {
    const reader = res.body?.getReader();
    if (!reader) return;
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut = buffer.indexOf("\n\n");
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const field = (name: string) =>
            block
              .split("\n")
              .find((l) => l.startsWith(`${name}: `))
              ?.slice(name.length + 2) ?? null;
          const event = field("event");
          if (event) events.push({ id: field("id"), event, data: field("data") ?? "" });
          cut = buffer.indexOf("\n\n");
        }
      }
      endedByServer = true;
    } catch {
      // aborted by close()
    }
  })();
  // The stream is registered once the server wrote its first bytes; give the hub a moment.
  await new Promise((r) => setTimeout(r, 150));
  return {
    events,
    ended: async (ms) => {
      await Promise.race([reading, new Promise((r) => setTimeout(r, ms))]);
      return endedByServer;
    },
    close: () => controller.abort(),
  };
}
