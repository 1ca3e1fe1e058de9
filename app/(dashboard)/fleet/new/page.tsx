import { RegisterNodeForm } from "@/components/fleet/register-node-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "Register node" };

export default async function RegisterNodePage() {
  await requirePageUser("operator");
  return (
    <>
      <PageHeader title="Register node" description="Add a gateway host whose node agent Rollbook may call." />
      <RegisterNodeForm />
    </>
  );
}
