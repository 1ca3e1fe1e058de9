import { TableSkeleton } from "@/components/ui/table-skeleton";

export default function FleetLoading() {
  return <TableSkeleton label="Loading the fleet" />;
}
