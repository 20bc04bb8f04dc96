package vault

// nonBlock is 0: Windows has no named pipes at ordinary paths.
const nonBlock = 0
