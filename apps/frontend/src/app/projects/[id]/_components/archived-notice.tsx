/** Above an archived project's admin pages: what is closed, and where to reopen it. */
export function ArchivedNotice() {
  return (
    <p className="notice" data-testid="archived-notice">
      This project is archived: labelling and imports are closed and its model is not retrained. Unarchive it
      under Archive in its settings.
    </p>
  );
}
