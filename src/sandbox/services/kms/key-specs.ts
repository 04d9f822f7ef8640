// What each key spec allows: the key usages it can be created with and the algorithms KeyMetadata lists.
import { kmsError } from "./key-lookup.js";

const RSA_SIGNING = ["RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512"];

const USAGES: Record<string, string[]> = {
  SYMMETRIC_DEFAULT: ["ENCRYPT_DECRYPT"],
  RSA_2048: ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
  RSA_3072: ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
  RSA_4096: ["ENCRYPT_DECRYPT", "SIGN_VERIFY"],
  ECC_NIST_P256: ["SIGN_VERIFY", "KEY_AGREEMENT"],
  ECC_NIST_P384: ["SIGN_VERIFY", "KEY_AGREEMENT"],
  ECC_NIST_P521: ["SIGN_VERIFY", "KEY_AGREEMENT"],
  ECC_SECG_P256K1: ["SIGN_VERIFY"],
  HMAC_224: ["GENERATE_VERIFY_MAC"],
  HMAC_256: ["GENERATE_VERIFY_MAC"],
  HMAC_384: ["GENERATE_VERIFY_MAC"],
  HMAC_512: ["GENERATE_VERIFY_MAC"],
  SM2: ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "KEY_AGREEMENT"],
};

/** The (spec, usage) pair of a CreateKey request, with AWS's defaults; an impossible pair is a ValidationException. */
export function keySpecAndUsage(input: Record<string, any>): { keySpec: string; keyUsage: string } {
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined && input.KeySpec !== input.CustomerMasterKeySpec) {
    throw kmsError("ValidationException", "You cannot specify both KeySpec and CustomerMasterKeySpec with different values. Use KeySpec.");
  }
  const keySpec = String(input.KeySpec ?? input.CustomerMasterKeySpec ?? "SYMMETRIC_DEFAULT");
  const keyUsage = String(input.KeyUsage ?? "ENCRYPT_DECRYPT");
  const usages = USAGES[keySpec];
  if (!usages) throw kmsError("ValidationException", `1 validation error detected: Value '${keySpec}' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(USAGES).join(", ")}]`);
  if (!usages.includes(keyUsage)) throw kmsError("ValidationException", `You cannot create a KMS key with a KeySpec of ${keySpec} and a KeyUsage of ${keyUsage}. Valid key usages for ${keySpec}: ${usages.join(", ")}.`);
  return { keySpec, keyUsage };
}

/** The algorithm members of KeyMetadata for a spec and usage. */
export function algorithmsOf(keySpec: string, keyUsage: string): Record<string, string[]> {
  if (keyUsage === "GENERATE_VERIFY_MAC") return { MacAlgorithms: [`HMAC_SHA_${keySpec.slice(5)}`] };
  if (keyUsage === "KEY_AGREEMENT") return { KeyAgreementAlgorithms: ["ECDH"] };
  if (keyUsage === "ENCRYPT_DECRYPT") {
    if (keySpec === "SYMMETRIC_DEFAULT") return { EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"] };
    if (keySpec === "SM2") return { EncryptionAlgorithms: ["SM2PKE"] };
    return { EncryptionAlgorithms: ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"] };
  }
  if (keySpec.startsWith("RSA_")) return { SigningAlgorithms: RSA_SIGNING };
  if (keySpec === "SM2") return { SigningAlgorithms: ["SM2DSA"] };
  const bits = keySpec === "ECC_NIST_P384" ? "384" : keySpec === "ECC_NIST_P521" ? "512" : "256";
  return { SigningAlgorithms: [`ECDSA_SHA_${bits}`] };
}

/** Grant operations a key can carry, by usage (the rest are a ValidationException, "ValidationError" in the model). */
export function grantOperationsFor(keySpec: string, keyUsage: string): string[] {
  const common = ["CreateGrant", "RetireGrant", "DescribeKey"];
  if (keyUsage === "GENERATE_VERIFY_MAC") return [...common, "GenerateMac", "VerifyMac"];
  if (keyUsage === "KEY_AGREEMENT") return [...common, "GetPublicKey", "DeriveSharedSecret"];
  if (keyUsage === "SIGN_VERIFY") return [...common, "GetPublicKey", "Sign", "Verify"];
  if (keySpec === "SYMMETRIC_DEFAULT") {
    return [...common, "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext"];
  }
  return [...common, "Decrypt", "Encrypt", "GetPublicKey", "ReEncryptFrom", "ReEncryptTo"];
}

export function isSymmetric(keySpec: string): boolean {
  return keySpec === "SYMMETRIC_DEFAULT";
}
