import { ReleaseUploadForm } from "@/components/releases/release-upload-form";
import { PageHeader } from "@/components/ui/page-header";
import { exampleManifestYaml } from "@/lib/releases";
import { requirePageUser } from "@/lib/server/session";

export const metadata = { title: "New release" };

export default async function NewReleasePage() {
  await requirePageUser("operator");
  return (
    <>
      <PageHeader
        title="New release"
        description="Releases are immutable: validated once, hashed, and never edited. To change one, create its successor."
      />
      <ReleaseUploadForm example={exampleManifestYaml} />
    </>
  );
}
