/** A business-scoped user id (a WhatsApp username user whose number is withheld): `CC.<alnum>`. */
const BSUID = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]+$/;

/** How a contact's key reads: a number with its +, a BSUID as it is ("username user"). */
export const contactLabel = (contactWaId: string) => (BSUID.test(contactWaId) ? `username user ${contactWaId}` : `+${contactWaId}`);
