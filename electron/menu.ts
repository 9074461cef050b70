/**
 * The native menu. Every app command goes to the renderer as a menuCommand event (the renderer
 * does the work, the same as its toolbar); clipboard and selection items use Electron's roles.
 */
import { app, dialog, type BrowserWindow, type MenuItemConstructorOptions } from "electron";
import type { ExampleInfo, MenuCommand } from "../host/protocol.js";

export function menuTemplate(
  examples: ExampleInfo[],
  send: (command: MenuCommand) => void,
  getWindow: () => BrowserWindow | null,
): MenuItemConstructorOptions[] {
  const isMac = process.platform === "darwin";
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(command),
  });
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: "appMenu" });
  template.push(
    {
      label: "&File",
      submenu: [
        item("New", "new", "CmdOrCtrl+N"),
        { label: "Open…", accelerator: "CmdOrCtrl+O", click: () => void chooseFileToOpen(getWindow, send) },
        {
          label: "Open Example",
          submenu:
            examples.length > 0
              ? examples.map((example) => item(example.title, { openExample: example.name }))
              : [{ label: "(no examples found)", enabled: false }],
        },
        { type: "separator" },
        item("Save", "save", "CmdOrCtrl+S"),
        { label: "Save As…", accelerator: "Shift+CmdOrCtrl+S", click: () => void choosePathToSave(getWindow, send) },
        { type: "separator" },
        { label: "Export", submenu: [item("TypeScript", "exportTs"), item("SPDL Python", "exportPython")] },
        { type: "separator" },
        isMac ? { role: "close" } : { role: "quit" },
      ],
    },
    {
      label: "&Edit",
      submenu: [
        item("Undo", "undo", "CmdOrCtrl+Z"),
        item("Redo", "redo", isMac ? "Shift+Cmd+Z" : "Ctrl+Y"),
        { type: "separator" },
        { role: "cut" },
        { role: "copy" },
        { role: "paste" },
        { role: "delete" },
        { type: "separator" },
        { role: "selectAll" },
      ],
    },
    {
      label: "&View",
      submenu: [
        { role: "resetZoom" },
        { role: "zoomIn" },
        { role: "zoomOut" },
        { type: "separator" },
        { role: "togglefullscreen" },
        ...(app.isPackaged
          ? []
          : ([{ type: "separator" }, { role: "reload" }, { role: "toggleDevTools" }] satisfies MenuItemConstructorOptions[])),
      ],
    },
    {
      label: "&Run",
      submenu: [
        item("Run", "run", "F5"),
        item("Stop", "stop", "Shift+F5"),
        { type: "separator" },
        item("Profile…", "profile"),
        item("Auto-tune…", "autoTune"),
        item("Runs…", "runs"),
      ],
    },
    {
      label: "&Help",
      submenu: [
        // "?" in the window itself; the menu names it (a menu accelerator cannot be "?" on every layout).
        item("Keyboard Shortcuts (?)", "shortcuts"),
        { type: "separator" },
        {
          label: "About Pipeline Studio",
          click: () => {
            const options = {
              type: "info" as const,
              title: "Pipeline Studio",
              message: `Pipeline Studio ${app.getVersion()}`,
              detail: "Design, run and tune concurrent data-loading pipelines (SPDL's model in TypeScript).",
            };
            const window = getWindow();
            void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
          },
        },
      ],
    },
  );
  return template;
}

const PIPELINE_FILES = [{ name: "Pipeline files", extensions: ["pipeline.json", "json"] }];

/** The native Open dialog; the renderer opens the chosen file through the session. */
async function chooseFileToOpen(getWindow: () => BrowserWindow | null, send: (command: MenuCommand) => void): Promise<void> {
  const options = { title: "Open pipeline", properties: ["openFile" as const], filters: PIPELINE_FILES };
  const window = getWindow();
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (!result.canceled && result.filePaths[0]) send({ openFile: result.filePaths[0] });
}

/** The native Save As dialog; the renderer saves its document to the chosen path. */
async function choosePathToSave(getWindow: () => BrowserWindow | null, send: (command: MenuCommand) => void): Promise<void> {
  const options = { title: "Save pipeline as", defaultPath: "untitled.pipeline.json", filters: PIPELINE_FILES };
  const window = getWindow();
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  if (!result.canceled && result.filePath) send({ saveAs: result.filePath });
}
