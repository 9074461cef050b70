import { useEffect, useRef, useState } from "react";

export interface ToolbarAction {
  id: string;
  label: string;
  run: () => void;
  disabled?: boolean;
  title?: string;
}

/** The toolbar's "⋯": the actions that did not fit the row, as a menu (Escape or a click elsewhere closes it). */
export function OverflowMenu({ actions }: { actions: ToolbarAction[] }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => root.current?.contains(event.target as Node) || setOpen(false);
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && setOpen(false);
    window.addEventListener("pointerdown", onPointer);
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("pointerdown", onPointer);
      window.removeEventListener("keydown", onKey);
    };
  }, [open]);
  if (actions.length === 0) return null;
  return (
    <div className="overflow-menu" ref={root}>
      <button
        type="button"
        aria-label="More actions"
        aria-haspopup="menu"
        aria-expanded={open}
        title="More actions"
        className="overflow-menu-button"
        onClick={() => setOpen(!open)}
        data-testid="toolbar-overflow"
      >
        ⋯
      </button>
      {open && (
        <div className="overflow-menu-list" role="menu" data-testid="toolbar-overflow-menu">
          {actions.map((action) => (
            <button
              key={action.id}
              type="button"
              role="menuitem"
              disabled={action.disabled}
              title={action.title}
              onClick={() => {
                setOpen(false);
                action.run();
              }}
            >
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
