import { useEffect } from "react";
import { dismissNotice, useNotice } from "../store/notice.js";

/** The last error (stays until dismissed) or info (goes after 3 s unless sticky) over the top of the canvas. */
export function NoticeBar() {
  const notice = useNotice((s) => s.notice);
  useEffect(() => {
    if (notice?.kind !== "info" || notice.sticky) return;
    const timer = setTimeout(dismissNotice, 3000);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className={`notice notice--${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="notice">
      <span>{notice.text}</span>
      <button type="button" className="link" onClick={dismissNotice} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
