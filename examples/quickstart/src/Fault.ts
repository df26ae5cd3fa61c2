import { WireFormat } from "@errata/domain"
import { BadRequest, ValidationError } from "@errata/domain/Errors"
import { Predicate } from "effect"

// A dialect of your own: { "fault": { "id", "text", "fields"?: { <field>: text }, "ticket"? } }
export const FaultEnvelope: WireFormat.Envelope<typeof ValidationError, typeof BadRequest> = {
  name: "fault",
  source: "our API since 2019",
  contentType: "application/vnd.fault+json",
  carries: { fieldErrorCodes: false, fieldErrorList: false, requestIdInBody: true, retryAfterInBody: false },
  reservedMembers: ["id", "text", "fields", "ticket"],
  validationError: ValidationError,
  malformedBody: BadRequest,
  recognizes: (json) => Predicate.isRecord(json) && Predicate.isRecord(json.fault),
  write: (error) => ({
    fault: {
      id: error.metadata.code,
      text: error.message,
      ...(error.fieldErrors && { fields: Object.fromEntries(error.fieldErrors.map((f) => [f.field, f.message])) }),
      ...(error.requestId && { ticket: error.requestId }),
      ...error.own
    }
  }),
  read: (json) => {
    if (!Predicate.isRecord(json) || !Predicate.isRecord(json.fault) || typeof json.fault.id !== "string") return undefined
    const { fields, id, text, ticket } = json.fault
    return {
      code: id,
      message: text,
      fieldErrors: Predicate.isRecord(fields) ? Object.entries(fields).map(([field, message]) => ({ field, message })) : undefined,
      retryAfter: undefined,
      requestId: ticket,
      own: json.fault
    }
  },
  jsonSchema: ({ metadata, own }) => ({
    type: "object",
    required: ["fault"],
    properties: {
      fault: {
        type: "object",
        required: ["id", "text", ...own.required],
        properties: {
          id: { const: metadata.code },
          text: { type: "string" },
          fields: { type: "object", additionalProperties: { type: "string" } },
          ticket: { type: "string" },
          ...own.properties
        }
      }
    }
  })
}

export const Fault = WireFormat.make(FaultEnvelope)
