/** A new password typed twice (the forms compare them before sending: PASSWORDS_DIFFER). */
export function NewPasswordFields({ name, autoFocus = false }: { name: string; autoFocus?: boolean }) {
  return (
    <>
      <label>
        New password <span className="muted">(at least 12 characters)</span>
        <input name={name} type="password" autoComplete="new-password" required autoFocus={autoFocus} />
      </label>
      <label>
        Repeat the new password
        <input name="repeatPassword" type="password" autoComplete="new-password" required />
      </label>
    </>
  );
}
