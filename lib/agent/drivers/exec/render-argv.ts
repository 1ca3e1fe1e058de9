import { pluginNameSchema, versionSchema } from "@/lib/protocol";
import { OperationFailure } from "../../operations/operation-failure";

export type ArgvValues = { version?: string; name?: string; weight?: number };

const PLACEHOLDER = /\{([a-z]+)\}/g;

/**
 * Fills a command template. Values are validated here, right before they become arguments,
 * whatever validated them upstream: this is the last line between a request body and a process.
 * The result is an argv array for spawn without a shell, so even a value that slipped through
 * could not be interpreted by one; validation makes sure it never has to.
 */
export function renderArgv(template: readonly string[], values: ArgvValues): string[] {
  if (values.version !== undefined && !versionSchema.safeParse(values.version).success) {
    throw new OperationFailure("unsafe_argument", `refusing version ${JSON.stringify(values.version)}: not an exact semver version`);
  }
  if (values.name !== undefined && !pluginNameSchema.safeParse(values.name).success) {
    throw new OperationFailure("unsafe_argument", `refusing plugin name ${JSON.stringify(values.name)}: not a plain npm package name`);
  }
  if (values.weight !== undefined && !(Number.isInteger(values.weight) && values.weight >= 0 && values.weight <= 100)) {
    throw new OperationFailure("unsafe_argument", `refusing weight ${JSON.stringify(values.weight)}: not an integer 0-100`);
  }
  return template.map((part) =>
    part.replace(PLACEHOLDER, (whole, key: string) => {
      const value = key === "version" ? values.version : key === "name" ? values.name : key === "weight" ? values.weight : undefined;
      if (value === undefined)
        throw new OperationFailure("bad_template", `command template uses ${whole}, which this step does not provide`);
      return String(value);
    }),
  );
}
