// One codec per emulated service, built from its model's protocol.
import type { ServiceName } from "../service.js";
import { awsJsonCodec } from "./aws-json.js";
import { awsQueryCodec } from "./aws-query.js";
import { models } from "./model.js";
import type { ServiceModel } from "./model.js";
import { restJsonCodec } from "./rest-json.js";
import type { Codec } from "./wire.js";

export type { Codec, DecodedRequest, WireRequest, WireResponse, WireErrorKind } from "./wire.js";
export { wireError } from "./wire.js";
export { models } from "./model.js";
export { validateInput, validationError } from "./validate.js";

function codecFor(model: ServiceModel): Codec {
  switch (model.protocol) {
    case "restJson1":
      return restJsonCodec(model);
    case "awsJson1_1":
      return awsJsonCodec(model);
    case "awsQuery":
      return awsQueryCodec(model);
  }
}

export const codecs: Record<ServiceName, Codec> = {
  backup: codecFor(models.backup),
  kms: codecFor(models.kms),
  organizations: codecFor(models.organizations),
  sts: codecFor(models.sts),
};
