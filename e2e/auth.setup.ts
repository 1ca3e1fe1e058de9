import { expect, test as setup } from "@playwright/test";
import { ROLES } from "@/lib/auth/roles";
import { demoUser, expectSignedInAs, signInThroughForm, storageStateFor } from "./fixtures";

// Signs in once per role through the real form; feature specs reuse the saved sessions.
for (const role of ROLES) {
  setup(`sign in as ${role}`, async ({ page }) => {
    const user = demoUser(role);
    await signInThroughForm(page, user.email, user.password);
    await expect(page).toHaveURL(/\/fleet$/);
    await expectSignedInAs(page, role);
    await page.context().storageState({ path: storageStateFor(role) });
  });
}
