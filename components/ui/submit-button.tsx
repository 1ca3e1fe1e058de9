/** A form's primary button: disabled while the form is submitting, with a label that says so. */
export function SubmitButton(props: { pending: boolean; label: string; pendingLabel: string; fullWidth?: boolean }) {
  return (
    <button
      type="submit"
      disabled={props.pending}
      className={`${props.fullWidth ? "w-full " : ""}rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:cursor-wait disabled:opacity-60`}
    >
      {props.pending ? props.pendingLabel : props.label}
    </button>
  );
}
