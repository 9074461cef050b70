import { useRef, type RefObject } from "react";
import { uploadFile } from "../store/fileCommands.js";

/** The hidden file picker behind "Upload…": the picked pipeline file opens through the host. */
export function UploadInput({ inputRef, testId }: { inputRef: RefObject<HTMLInputElement | null>; testId: string }) {
  return (
    <input
      ref={inputRef}
      type="file"
      accept=".json,application/json"
      hidden
      data-testid={testId}
      onChange={(event) => {
        const file = event.target.files?.[0];
        // Cleared, so picking the same file again is a change too.
        event.target.value = "";
        if (file) void uploadFile(file);
      }}
    />
  );
}

/** "Upload…": picks a pipeline file in the browser and opens it through the host. */
export function UploadButton({ testId }: { testId: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} title={UPLOAD_TITLE}>
        Upload…
      </button>
      <UploadInput inputRef={input} testId={testId} />
    </>
  );
}

export const UPLOAD_TITLE =
  "Open a pipeline file from this browser's machine (relative paths inside resolve against the folder the app was started in)";
