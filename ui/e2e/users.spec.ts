import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD, expectSignedIn, login, logout, screenshot } from './helpers';

test.describe.configure({ mode: 'serial' });

const suffix = Date.now().toString(36);
const viewer = { username: `viewer-${suffix}`, password: `Viewer-Password-${suffix}`, fullName: 'Vera Viewer', email: `viewer-${suffix}@example.test` };

test('admin creates a viewer on the Users page', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 2 })).toBeVisible();
  await expect(page.getByTestId('user-row-admin')).toBeVisible();
  await screenshot(page, 'users');

  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Username').fill(viewer.username);
  await dialog.getByLabel('Full name').fill(viewer.fullName);
  await dialog.getByLabel('Email').fill(viewer.email);
  await dialog.getByRole('textbox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Viewer' }).click();
  // The password policy is checked before anything is sent.
  await dialog.getByLabel('Initial password').fill('short');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByText('Password must be at least 12 characters')).toBeVisible();
  await screenshot(page, 'users-create-validation');

  // A taken username comes back as a 409 problem and is shown on the field.
  await dialog.getByLabel('Username').fill('admin');
  await dialog.getByLabel('Initial password').fill(viewer.password);
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByText(/taken/i).first()).toBeVisible();
  await dialog.getByLabel('Username').fill(viewer.username);
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();

  await page.getByLabel('Search users').fill(viewer.username);
  const row = page.getByTestId(`user-row-${viewer.username}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('viewer');
  await expect(row).toContainText(viewer.email);
  await logout(page);
});

test('a viewer sees no Users navigation and no create, edit or delete buttons', async ({ page }) => {
  await login(page, viewer.username, viewer.password);
  // The admin chose the initial password: the viewer replaces it first (first-login.spec.ts covers this page).
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('Current password').fill(viewer.password);
  viewer.password = `${viewer.password}-own`;
  await page.getByLabel('New password', { exact: true }).fill(viewer.password);
  await page.getByLabel('Repeat new password').fill(viewer.password);
  await page.getByRole('button', { name: 'Change password and continue' }).click();
  await expectSignedIn(page, viewer.username);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Targets' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await screenshot(page, 'dashboard-viewer');

  await page.goto('/users');
  await expect(page.getByText('Not allowed')).toBeVisible();

  for (const [path, heading] of [
    ['/targets', 'Targets'],
    ['/credentials', 'Credentials'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
    await expect(page.getByTestId('loading')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^New / })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^(Edit|Delete|Rotate|Check) / })).toHaveCount(0);
    await screenshot(page, `${heading.toLowerCase()}-viewer`);
  }

  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'Profile', level: 2 })).toBeVisible();
  await expect(page.getByLabel('Full name')).toHaveValue(viewer.fullName);
  await screenshot(page, 'profile');

  // The server's validation problem lands on the field it names.
  await page.getByLabel('Current password').fill('not-my-password-at-all');
  await page.getByLabel('New password', { exact: true }).fill(`${viewer.password}-next`);
  await page.getByLabel('Repeat new password').fill(`${viewer.password}-next`);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/current password is not correct/i)).toBeVisible();
  await screenshot(page, 'profile-password-error');

  // A viewer may change their own password.
  await page.getByLabel('Current password').fill(viewer.password);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed')).toBeVisible();
  viewer.password = `${viewer.password}-next`;
  await logout(page);
});

test('admin pages for targets and credentials offer create buttons', async ({ page }) => {
  await login(page, 'admin', ADMIN_PASSWORD);
  await expectSignedIn(page, 'admin');
  for (const [path, heading, button] of [
    ['/targets', 'Targets', 'New target'],
    ['/credentials', 'Credentials', 'New credential'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 2 })).toBeVisible();
    await expect(page.getByRole('button', { name: button })).toBeVisible();
    await screenshot(page, heading.toLowerCase());
  }
});
