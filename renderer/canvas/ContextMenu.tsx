import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { closeOverlays, useCanvasOverlay } from "../store/canvasOverlay.js";
import { useMenuItems, type MenuItem } from "./menuItems.js";
import { useFloating } from "./useFloating.js";

/**
 * The right-click menu of a node, a wire or the canvas: arrow keys move, Enter picks, Escape or a
 * press outside closes. An item that cannot be used now is greyed with the reason beside it. An
 * item that needs a value (rename, concurrency) asks for it in place.
 */
export function ContextMenu() {
  const menu = useCanvasOverlay((s) => s.menu);
  if (!menu) return null;
  return <MenuBox key={`${menu.screen.x},${menu.screen.y}`} />;
}

function MenuBox() {
  const menu = useCanvasOverlay((s) => s.menu)!;
  const items = useMenuItems(menu.target, menu);
  const ref = useRef<HTMLDivElement>(null);
  const style = useFloating(ref, menu.screen, closeOverlays);
  const usable = items.flatMap((item, index) => (item.disabled ? [] : [index]));
  const [active, setActive] = useState<number>(usable[0] ?? -1);
  const [asking, setAsking] = useState<MenuItem | null>(null);

  // The menu takes the keys as it opens.
  useEffect(() => {
    if (!asking) ref.current?.focus();
  }, [asking]);

  const pick = (item: MenuItem) => {
    if (item.disabled) return;
    if (item.prompt) setAsking(item);
    else {
      closeOverlays();
      item.run?.();
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closeOverlays();
      return;
    }
    if (asking) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (usable.length === 0) return;
      const at = usable.indexOf(active);
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive(usable[(at + step + usable.length) % usable.length]!);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const item = items[active];
      if (item) pick(item);
    }
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      style={style}
      role="menu"
      tabIndex={-1}
      aria-label={menu.target.kind === "pane" ? "Canvas" : `${menu.target.kind} ${menu.target.id}`}
      onKeyDown={onKeyDown}
      onContextMenu={(event) => event.preventDefault()}
      data-testid="context-menu"
    >
      {asking?.prompt ? (
        <PromptForm item={asking} />
      ) : (
        items.map((item, index) => (
          <div
            key={item.testId}
            role="menuitem"
            aria-disabled={Boolean(item.disabled)}
            className={`context-menu-item${index === active ? " is-active" : ""}${item.disabled ? " is-disabled" : ""}${item.separatorBefore ? " has-separator" : ""}`}
            title={item.disabled ?? undefined}
            onMouseEnter={() => !item.disabled && setActive(index)}
            onClick={() => pick(item)}
            data-testid={`menu-${item.testId}`}
          >
            <span className="context-menu-label">{item.label}</span>
            {item.disabled && <span className="context-menu-reason">{item.disabled}</span>}
          </div>
        ))
      )}
    </div>
  );
}

/** An item's value asked in place: Enter applies (an error keeps it open with the reason), Escape closes. */
function PromptForm({ item }: { item: MenuItem }) {
  const prompt = item.prompt!;
  const [value, setValue] = useState(prompt.initial);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="context-menu-prompt"
      onSubmit={(event) => {
        event.preventDefault();
        const problem = prompt.apply(value);
        if (problem) setError(problem);
        else closeOverlays();
      }}
    >
      <label>
        <span className="label">{prompt.label}</span>
        <input
          autoFocus
          type={prompt.type}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onFocus={(event) => event.target.select()}
          data-testid={`menu-prompt-${item.testId}`}
        />
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
