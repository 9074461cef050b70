import { ReactFlowProvider } from "@xyflow/react";
import { useEffect } from "react";
import type { ApiConnection } from "./api/index.js";
import { Canvas } from "./canvas/Canvas.js";
import { AnalysisPanel } from "./panels/analysis/AnalysisPanel.js";
import { ChartsPanel } from "./charts/ChartsPanel.js";
import { Dialogs } from "./panels/Dialogs.js";
import { Banners } from "./panels/Banners.js";
import { Inspector } from "./panels/Inspector.js";
import { Palette } from "./panels/Palette.js";
import { RunPanels } from "./panels/RunPanels.js";
import { StatusBar } from "./panels/StatusBar.js";
import { Toolbar } from "./panels/Toolbar.js";
import { useShortcuts } from "./shortcuts.js";
import { setConnection } from "./store/hostConnection.js";
import { startSession } from "./store/startSession.js";

/** Shown in browser mode when the page was opened without the launch token: no pipeline at all. */
export function NeedsToken() {
  return (
    <main className="needs-token" data-testid="needs-token">
      <h1>Pipeline Studio</h1>
      <p className="big">Open the URL that the terminal printed (it carries the access token).</p>
      <p className="muted">
        <code>npm start</code> prints a line like <code>Pipeline Studio: http://127.0.0.1:PORT/?token=…</code>. This page was opened without
        that token, so it cannot talk to the host.
      </p>
    </main>
  );
}

function Studio({ connection }: { connection: Exclude<ApiConnection, { kind: "no-token" }> }) {
  useShortcuts();
  useEffect(() => {
    const offState = connection.onConnectionState(setConnection);
    const stop = startSession(connection.api);
    return () => {
      offState();
      stop();
    };
  }, [connection]);
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <div className="workspace">
          <Palette />
          <div className="center">
            <Banners />
            <Canvas />
            <ChartsPanel />
          </div>
          <div className="side">
            <AnalysisPanel />
            <Inspector />
            <RunPanels />
          </div>
        </div>
        <StatusBar />
        <Dialogs />
      </div>
    </ReactFlowProvider>
  );
}

export function App({ connection }: { connection: ApiConnection }) {
  if (connection.kind === "no-token") return <NeedsToken />;
  return <Studio connection={connection} />;
}
