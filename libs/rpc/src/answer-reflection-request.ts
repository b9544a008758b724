import { Code } from "@connectrpc/connect";
import type { ReflectionIndex } from "./create-reflection-index.js";

/** The request half shared by grpc.reflection v1 and v1alpha (identical shapes). */
export type ReflectionQuery =
  | { case: "fileByFilename"; value: string }
  | { case: "fileContainingSymbol"; value: string }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: "allExtensionNumbersOfType"; value: string }
  | { case: "listServices"; value: string }
  | { case: undefined; value?: undefined };

/** The response half shared by grpc.reflection v1 and v1alpha. */
export type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

const notFound = (errorMessage: string): ReflectionAnswer => ({
  case: "errorResponse",
  value: { errorCode: Code.NotFound, errorMessage },
});

/**
 * Answers one reflection request. Lookups that find nothing answer an
 * `error_response` with NOT_FOUND (as grpc-go does) and keep the stream open;
 * they never throw.
 */
export function answerReflectionRequest(
  index: ReflectionIndex,
  serviceNames: readonly string[],
  query: ReflectionQuery,
): ReflectionAnswer {
  const files = (file: ReturnType<ReflectionIndex["fileByName"]>, what: string): ReflectionAnswer =>
    file ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: index.encodeWithDependencies(file) } } : notFound(what);
  switch (query.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: serviceNames.map((name) => ({ name })) } };
    case "fileByFilename":
      return files(index.fileByName(query.value), `file not found: ${query.value}`);
    case "fileContainingSymbol":
      return files(index.fileContainingSymbol(query.value), `symbol not found: ${query.value}`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = query.value;
      return files(
        index.fileContainingExtension(containingType, extensionNumber),
        `extension not found: ${containingType} ${extensionNumber}`,
      );
    }
    case "allExtensionNumbersOfType": {
      const numbers = index.extensionNumbersOf(query.value);
      return numbers
        ? { case: "allExtensionNumbersResponse", value: { baseTypeName: query.value.replace(/^\./, ""), extensionNumber: numbers } }
        : notFound(`type not found: ${query.value}`);
    }
    default:
      return { case: "errorResponse", value: { errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" } };
  }
}
