import { RoleForm } from "@/components/admin/role-form";
import { DataTable } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { ROLE_DESCRIPTIONS, ROLES } from "@/lib/auth/roles";
import { requirePageUser } from "@/lib/server/session";
import { listUsers } from "@/lib/server/users";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePageUser("admin");
  const users = await listUsers({ actor });
  return (
    <>
      <PageHeader title="Users" description="Who may do what. Every change is recorded in the audit log." />
      <ul className="mb-4 text-xs text-slate-600">
        {ROLES.map((role) => (
          <li key={role}>
            <span className="font-medium">{role}</span>: {ROLE_DESCRIPTIONS[role]}
          </li>
        ))}
      </ul>
      <DataTable label="Users" columns={["User", "Role"]}>
        {users.map((user) => (
          <tr key={user.id} aria-label={user.email}>
            <th scope="row" className="px-4 py-2 text-left font-medium">
              {user.name} <span className="font-normal text-slate-500">{user.email}</span>
            </th>
            <td className="px-4 py-2">
              <RoleForm userId={user.id} email={user.email} role={user.role} />
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
