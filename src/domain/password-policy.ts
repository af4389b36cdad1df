/** NIST SP 800-63B §5.1.1: length over composition rules; at least 12 characters here. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
