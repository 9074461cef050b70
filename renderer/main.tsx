import "@xyflow/react/dist/style.css";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { connect } from "./api/index.js";
import { App } from "./App.js";

const connection = connect();
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App connection={connection} />
  </StrictMode>,
);
