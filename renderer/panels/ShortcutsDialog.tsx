import { keysPressedTogether, SHORTCUTS } from "../shortcutList.js";
import { Modal } from "./Modal.js";

/** Every editor key from SHORTCUTS (the list the key handler binds by): `?` or the canvas's Help button opens it. */
export function ShortcutsDialog() {
  return (
    <Modal title="Keyboard shortcuts" testId="shortcuts-dialog">
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={`${shortcut.keys} ${shortcut.does}`}>
              <th scope="row">
                {keysPressedTogether(shortcut.keys).map((key, index) => (
                  <span key={index}>
                    {index > 0 && "+"}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </th>
              <td>{shortcut.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
