import { useEffect } from "react";
import { useSession } from "../store/session.js";

/** The last error (stays until dismissed) or info (goes after 3 s) under the toolbar. */
export function NoticeBar() {
  const notice = useSession((s) => s.notice);
  useEffect(() => {
    if (notice?.kind !== "info") return;
    const timer = setTimeout(() => useSession.getState().setNotice(null), 3000);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className={`notice notice--${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"} data-testid="notice">
      <span>{notice.text}</span>
      <button type="button" className="link" onClick={() => useSession.getState().setNotice(null)} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
