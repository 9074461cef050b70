import { expect, type Page } from "@playwright/test";

/** Clicks a toolbar action whether it is on the row or in the "⋯" menu (the row keeps what fits its width). */
export async function toolbarAction(page: Page, label: string): Promise<void> {
  const onRow = page.getByTestId("toolbar").locator(".toolbar-row").getByRole("button", { name: label, exact: true });
  if (await onRow.isVisible()) return onRow.click();
  await page.getByTestId("toolbar-overflow").click();
  const item = page.getByTestId("toolbar-overflow-menu").getByRole("menuitem", { name: label, exact: true });
  await expect(item).toBeVisible();
  await item.click();
}
