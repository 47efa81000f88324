import { type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import { cx } from "./cx.ts";

export type ActionMenuItem = {
  key: string;
  label: string;
  onSelect: () => void;
  tone?: "default" | "danger";
  testId?: string;
};

/**
 * A compact "操作 ▾" button opening a list of actions, for table rows. Built on the Popover API
 * (top layer: never clipped by a scrolling table; Esc and outside clicks close it; focus returns
 * to the button). Arrow keys move between items.
 */
export function ActionMenu({
  label,
  accessibleLabel,
  items,
  testId,
}: {
  label: string;
  /** Longer name for screen readers, e.g. "山田さんの操作". */
  accessibleLabel?: string;
  items: ActionMenuItem[];
  testId?: string;
}) {
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const popoverRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    const popover = popoverRef.current;
    const button = buttonRef.current;
    if (!popover || !button) return;
    const place = () => {
      const r = button.getBoundingClientRect();
      const width = popover.offsetWidth;
      const height = popover.offsetHeight;
      const below = r.bottom + 4 + height <= window.innerHeight;
      popover.style.top = `${below ? r.bottom + 4 : Math.max(4, r.top - height - 4)}px`;
      popover.style.left = `${Math.max(4, Math.min(r.right - width, window.innerWidth - width - 4))}px`;
    };
    const close = () => {
      if (popover.matches(":popover-open")) popover.hidePopover();
    };
    const onToggle = (event: Event) => {
      const isOpen = (event as ToggleEvent).newState === "open";
      setOpen(isOpen);
      if (isOpen) {
        place();
        popover.querySelector<HTMLButtonElement>("[role=menuitem]")?.focus();
        window.addEventListener("scroll", close, { capture: true, once: true });
        window.addEventListener("resize", close, { once: true });
      } else {
        window.removeEventListener("scroll", close, { capture: true });
        window.removeEventListener("resize", close);
      }
    };
    popover.addEventListener("toggle", onToggle);
    return () => {
      popover.removeEventListener("toggle", onToggle);
      window.removeEventListener("scroll", close, { capture: true });
      window.removeEventListener("resize", close);
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    const buttons = [...(popoverRef.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next =
      event.key === "Home"
        ? 0
        : event.key === "End"
          ? buttons.length - 1
          : (index + (event.key === "ArrowDown" ? 1 : -1) + buttons.length) % buttons.length;
    buttons[next]?.focus();
  };

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        popoverTarget={`${id}-menu`}
        aria-label={accessibleLabel}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={`${id}-menu`}
        data-testid={testId}
        className="inline-flex min-h-9 items-center gap-1 whitespace-nowrap rounded-6 border-2 border-blue-900 bg-white px-3 text-oln-14B-100 text-blue-900 hover:bg-blue-200 hover:underline"
      >
        {label}
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5">
          <path d="M3 6l5 5 5-5" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
      </button>
      <div
        ref={popoverRef}
        id={`${id}-menu`}
        popover="auto"
        role="menu"
        aria-label={accessibleLabel ?? label}
        onKeyDown={onKeyDown}
        className="fixed inset-auto m-0 min-w-48 rounded-8 border border-solid-gray-420 bg-white p-1 shadow-2"
      >
        <ul className="flex flex-col" role="none">
          {items.map((item) => (
            <li key={item.key} role="none">
              <button
                type="button"
                role="menuitem"
                data-testid={item.testId}
                onClick={() => {
                  popoverRef.current?.hidePopover();
                  item.onSelect();
                }}
                className={cx(
                  "block w-full rounded-6 px-3 py-2 text-left text-std-16N-170 hover:bg-blue-50 hover:underline",
                  item.tone === "danger" ? "text-error-2" : "text-solid-gray-900",
                )}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}
