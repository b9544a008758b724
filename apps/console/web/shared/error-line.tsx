/** An error, shown plainly where it happened (the gRPC code first). */
export function ErrorLine({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}
